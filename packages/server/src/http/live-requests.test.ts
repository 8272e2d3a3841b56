/** HTTP requests count as live work while answered, so campaigns give way to them (live-work.ts). */
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LiveWork } from "../live-work.ts";
import { createHttpApp, type HttpApp } from "./app.ts";

// A horizon longer than the test, so only the end of a request stops its counting.
const liveWork = new LiveWork(60_000);
let app: HttpApp;
let baseUrl: string;
let seenDuring = -1;

beforeAll(async () => {
  app = await createHttpApp({ logger: pino({ level: "silent" }), bodyLimitBytes: 1024, rateLimitPerMinute: 1000, liveWork });
  const answer = async () => {
    seenDuring = liveWork.active;
    return { ok: true };
  };
  app.post("/api/v1/workspaces/:id/conversations/:conversation/messages", answer);
  app.post("/webhooks/whatsapp-cloud/:inbox", answer);
  app.get("/api/v1/failing", async () => {
    seenDuring = liveWork.active;
    throw new Error("database unreachable");
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

/** Resolves once nothing is counted any more (the response's close event comes after the body), at most 2 s. */
async function settled(): Promise<number> {
  for (const deadline = Date.now() + 2000; liveWork.active > 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
  return liveWork.active;
}

it("counts an agent's request as live work while it is answered, and no longer once answered", async () => {
  const response = await fetch(`${baseUrl}/api/v1/workspaces/w1/conversations/c1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(response.status).toBe(200);
  expect(seenDuring).toBe(1);
  expect(await settled()).toBe(0);
});

it("stops counting a request that failed", async () => {
  const response = await fetch(`${baseUrl}/api/v1/failing`);
  expect(response.status).toBe(500);
  expect(seenDuring).toBe(1);
  expect(await settled()).toBe(0);
});

it("does not count WhatsApp's webhooks, which arrive at a campaign's own pace", async () => {
  const response = await fetch(`${baseUrl}/webhooks/whatsapp-cloud/i1`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(response.status).toBe(200);
  expect(seenDuring).toBe(0);
});
