/**
 * What a hosted app's options change at the protocol level: several apps on one port (the
 * gateway), disabled apps and connection quotas, the channel cap and oversized subscribe frames,
 * user authentication switched off, and watchlist limits. Raw `ws` clients, to see every frame.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { signUserAuth } from "@parley/protocol/signing";
import { RealtimeGateway } from "./apps/gateway.ts";
import { RealtimeServer } from "./server.ts";
import { RawClient, startHarness, TEST_APP } from "./testing/harness.ts";
import type { Harness } from "./testing/harness.ts";
import type { RealtimeServerOptions } from "./types.ts";

const harnesses: Harness[] = [];
const raws: RawClient[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function harness(options: Partial<RealtimeServerOptions>): Promise<Harness> {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}

async function connect(url: string) {
  const result = await RawClient.connect(url);
  raws.push(result.client);
  return result;
}

afterEach(async () => {
  for (const r of raws.splice(0)) r.ws.terminate();
  for (const h of harnesses.splice(0)) await h.stop();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const signIn = (r: RawClient, socketId: string, user: object) => {
  const userData = JSON.stringify(user);
  r.send({ event: "pusher:signin", data: { auth: signUserAuth(TEST_APP, socketId, userData), user_data: userData } });
};

describe("several apps on one port", () => {
  it("routes /app/{key} to each app's server, keeps their channels apart and refuses other keys and paths", async () => {
    const registry = new Registry();
    const logger = pino({ level: "silent" });
    const own = new RealtimeServer({ app: TEST_APP, logger, registry });
    const other = new RealtimeServer({ app: { id: "7", key: "other-key", secret: "other-secret" }, logger, registry });
    const server: Server = createServer((_req, res) => res.writeHead(404).end());
    new RealtimeGateway(own, [other]).attach(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      await Promise.all([own.close({ staggerMs: 0 }), other.close({ staggerMs: 0 })]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { client: ownClient } = await connect(`${base}/app/${TEST_APP.key}?protocol=7`);
    const { client: otherClient } = await connect(`${base}/app/other-key?protocol=7`);
    for (const r of [ownClient, otherClient]) {
      r.subscribe("news");
      expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    }
    await other.publish(["news"], "for-other", {});
    expect((await otherClient.next()).event).toBe("for-other");
    expect(await ownClient.barrier()).toEqual([]);
    expect([...(await own.channels()).keys()]).toEqual(["news"]);
    expect(own.connectionCount()).toBe(1);
    expect(other.connectionCount()).toBe(1);

    const unknown = await RawClient.open(`${base}/app/nobody?protocol=7`);
    expect(await unknown.next()).toMatchObject({ event: "pusher:error", data: { code: 4001 } });
    expect((await unknown.closed).code).toBe(4001);
    const badPath = await RawClient.open(`${base}/app/a/b?protocol=7`);
    expect((await badPath.closed).code).toBe(4005);
    const metrics = await registry.getSingleMetric("parley_realtime_connections")?.get();
    expect(metrics?.values.map((v) => [v.labels.app, v.value]).sort()).toEqual([
      ["42", 1],
      ["7", 1],
    ]);
  });

  it("closes connections to a disabled app with 4003, and those beyond the app's quota with 4004", async () => {
    const disabled = await harness({ enabled: false });
    const refused = await RawClient.open(disabled.wsUrl());
    expect(await refused.next()).toMatchObject({ event: "pusher:error", data: { code: 4003 } });
    expect((await refused.closed).code).toBe(4003);

    const limited = await harness({ connectionQuota: 1 });
    await connect(limited.wsUrl());
    const over = await RawClient.open(limited.wsUrl());
    expect((await over.closed).code).toBe(4004);
  });
});

describe("limits on subscriptions", () => {
  it("refuses a subscription beyond maxChannelsPerConnection on its channel, and accepts one again after an unsubscribe", async () => {
    const h = await harness({ maxChannelsPerConnection: 2 });
    const { client: r } = await connect(h.wsUrl());
    for (const channel of ["a", "b"]) {
      r.subscribe(channel);
      expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    }
    r.subscribe("c");
    expect(await r.next()).toEqual({
      event: "pusher:subscription_error",
      channel: "c",
      data: { type: "LimitReached", error: "A connection may be subscribed to at most 2 channels; unsubscribe from one first", status: 403 },
    });
    r.subscribe("a");
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    r.send({ event: "pusher:unsubscribe", data: { channel: "a" } });
    r.subscribe("c");
    expect(await r.next()).toMatchObject({ event: "pusher_internal:subscription_succeeded", channel: "c" });
    expect([...(await h.realtime.channels()).keys()].sort()).toEqual(["b", "c"]);
  });

  it("answers a subscribe frame over the size limit with a subscription_error on its channel, other oversized frames with pusher:error", async () => {
    const h = await harness({ maxMessageBytes: 200 });
    const { client: r } = await connect(h.wsUrl());
    r.send({ event: "pusher:subscribe", data: { channel: "presence-big", auth: "k:x", channel_data: "x".repeat(300) } });
    expect(await r.next()).toEqual({
      event: "pusher:subscription_error",
      channel: "presence-big",
      data: { type: "LimitReached", error: expect.stringMatching(/exceeds the 200-byte limit/), status: 413 },
    });
    r.send({ event: "client-big", channel: "private-a", data: "x".repeat(300) });
    const error = await r.next();
    expect(error).toMatchObject({ event: "pusher:error", data: { message: expect.stringMatching(/exceeds the 200-byte limit/) } });
    expect(error.channel).toBeUndefined();
    expect(await h.realtime.channels()).toEqual(new Map());
  });
});

describe("user authentication", () => {
  it("refuses pusher:signin with 4009 when the app turned user authentication off", async () => {
    const h = await harness({ userAuthentication: false });
    const { client: r, socketId } = await connect(h.wsUrl());
    signIn(r, socketId, { id: "ann" });
    expect(await r.next()).toEqual({ event: "pusher:error", data: { message: "User authentication is disabled for this app", code: 4009 } });
  });

  it("keeps the first 100 ids of a longer watchlist with a 4302 error, and refuses a watchlist that is not a list of ids", async () => {
    const h = await harness({});
    const { client: r, socketId } = await connect(h.wsUrl());
    const watchlist = Array.from({ length: 101 }, (_, i) => `u${i}`);
    signIn(r, socketId, { id: "ann", watchlist });
    expect((await r.next()).event).toBe("pusher:signin_success");
    expect(await r.next()).toMatchObject({ event: "pusher:error", data: { code: 4302 } });
    expect(await r.next()).toEqual({ event: "pusher_internal:watchlist_events", data: { events: [{ name: "offline", user_ids: watchlist.slice(0, 100) }] } });

    const { client: other, socketId: otherId } = await connect(h.wsUrl());
    signIn(other, otherId, { id: "bob", watchlist: "u1" });
    expect(await other.next()).toMatchObject({ event: "pusher:error", data: { code: 4009, message: expect.stringMatching(/watchlist/) } });
  });

  it("announces online when a watched user signs in on a first connection and offline when their last closes", async () => {
    const h = await harness({});
    const { client: watcher, socketId } = await connect(h.wsUrl());
    signIn(watcher, socketId, { id: "ann", watchlist: ["bob"] });
    await watcher.nextEvent("pusher_internal:watchlist_events");
    const tabs = [await connect(h.wsUrl()), await connect(h.wsUrl())];
    for (const tab of tabs) signIn(tab.client, tab.socketId, { id: "bob" });
    expect(await watcher.nextEvent("pusher_internal:watchlist_events")).toMatchObject({ data: { events: [{ name: "online", user_ids: ["bob"] }] } });
    tabs[0]!.client.close();
    await tabs[0]!.client.closed;
    expect(await watcher.barrier()).toEqual([]);
    tabs[1]!.client.close();
    expect(await watcher.nextEvent("pusher_internal:watchlist_events")).toMatchObject({ data: { events: [{ name: "offline", user_ids: ["bob"] }] } });
    // The internal online rooms are not channels the HTTP API reports.
    expect([...(await h.realtime.channels()).keys()]).toEqual([]);
  });
});
