import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "@parley/protocol/signing";
import { deliverWebhook } from "./delivery.ts";

const app = { key: "shop-key", secret: "shop-secret" };
const apps = { app: (id: string) => (id === "1" ? app : undefined) };
let server: Server | undefined;

/** A receiver answering `status` (or never answering when null); resolves with its URL and what it received. */
async function receiver(status: number | null) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (status === null) return;
      res.writeHead(status);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("deliverWebhook", () => {
  it("POSTs the stored body as JSON with X-Pusher-Key and a signature a receiver accepts", async () => {
    const { url, received } = await receiver(200);
    const body = '{"time_ms":1,"events":[{"name":"channel_occupied","channel":"a"}]}';
    expect(await deliverWebhook(apps, { appId: "1", url, body })).toEqual({ outcome: "delivered", status: 200 });
    const [request] = received;
    expect(request?.body).toBe(body);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(verifyWebhook(app, { key: request?.headers["x-pusher-key"], signature: request?.headers["x-pusher-signature"] }, body)).toBe(true);
  });

  it("throws on a non-2xx answer and on a receiver that does not answer in time, so the job is retried", async () => {
    const failing = await receiver(500);
    await expect(deliverWebhook(apps, { appId: "1", url: failing.url, body: "{}" })).rejects.toThrow(/answered 500/);
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const silent = await receiver(null);
    await expect(deliverWebhook({ ...apps, timeoutMs: 100 }, { appId: "1", url: silent.url, body: "{}" })).rejects.toThrow(/failed/);
  });

  it("drops a delivery whose app is no longer configured, without calling anyone", async () => {
    const { url, received } = await receiver(200);
    expect(await deliverWebhook(apps, { appId: "gone", url, body: "{}" })).toEqual({ outcome: "dropped", reason: "app gone is not configured any more" });
    expect(received).toEqual([]);
  });
});
