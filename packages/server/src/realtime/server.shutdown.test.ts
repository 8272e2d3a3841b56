import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { pusherClient, RawClient, startHarness, subscribed } from "./testing/harness.ts";
import type { Harness } from "./testing/harness.ts";

let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("graceful close", () => {
  it("closes every connection with 4200, spread over staggerMs, then refuses upgrades", async () => {
    h = await startHarness();
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(h!.wsUrl()).then((c) => c.client)));
    const stillOpenWhenFirstClosed: number[] = [];
    void Promise.race(clients.map((c) => c.closed)).then(() => {
      stillOpenWhenFirstClosed.push(clients.filter((c) => c.ws.readyState === WebSocket.OPEN).length);
    });

    const closing = h.realtime.close({ staggerMs: 900 });
    // New upgrades are refused as soon as closing starts.
    const refused = new WebSocket(h.wsUrl());
    const status = await new Promise<number>((resolve) => {
      refused.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      refused.on("error", () => {});
    });
    expect(status).toBe(503);

    await closing;
    const codes = await Promise.all(clients.map((c) => c.closed));
    expect(codes.map((c) => c.code)).toEqual([4200, 4200, 4200]);
    // Closes 0, 300 and 600 ms apart: when the first client saw its close the others were open.
    expect(stillOpenWhenFirstClosed).toEqual([2]);
    expect(h.realtime.connectionCount()).toBe(0);
  });

  it("announces presence departures before resolving", async () => {
    h = await startHarness();
    const a = pusherClient(h, { user_id: "a" });
    await subscribed(a, "presence-room");
    await h.realtime.close({ staggerMs: 0 });
    a.disconnect();
    expect(await h.realtime.presenceMembers("presence-room")).toEqual([]);
  });
});
