import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { Registry } from "prom-client";
import PusherServer from "pusher";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signChannelAuth, signHttpApiRequest } from "@parley/protocol/signing";
import { pusherHttpApi } from "./http-api.ts";
import { RealtimeServer } from "./server.ts";
import { nextChannelEvent, pusherClient, RawClient, subscribed, TEST_APP } from "./testing/harness.ts";
import type { Harness, PusherClient } from "./testing/harness.ts";

let app: FastifyInstance;
let realtime: RealtimeServer;
let port: number;
let sdk: PusherServer;
const clients: PusherClient[] = [];
const raws: RawClient[] = [];

// pusherClient() only needs the port of a harness.
const harnessLike = () => ({ port }) as Harness;

function client(userId?: string): PusherClient {
  const c = pusherClient(harnessLike(), userId === undefined ? undefined : { user_id: userId });
  clients.push(c);
  return c;
}

function sdkFor(secret = TEST_APP.secret): PusherServer {
  return new PusherServer({ appId: TEST_APP.id, key: TEST_APP.key, secret, host: "127.0.0.1", port: String(port), useTLS: false });
}

beforeEach(async () => {
  app = Fastify({ logger: false });
  realtime = new RealtimeServer({ app: TEST_APP, logger: pino({ level: "silent" }), registry: new Registry() });
  await app.register(pusherHttpApi, { servers: (id) => (id === TEST_APP.id ? realtime : undefined) });
  realtime.attach(app.server);
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = (app.server.address() as AddressInfo).port;
  sdk = sdkFor();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const r of raws.splice(0)) r.ws.terminate();
  await realtime.close({ staggerMs: 0 });
  await app.close();
});

/** A signed request through inject(), for the cases the SDK refuses to produce. */
function signedInject(method: "GET" | "POST", path: string, body?: string, params: Record<string, string> = {}, timestamp?: number) {
  const query = signHttpApiRequest(TEST_APP, {
    method,
    path,
    params,
    ...(body === undefined ? {} : { body }),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return app.inject({
    method,
    url: `${path}?${new URLSearchParams(query).toString()}`,
    ...(body === undefined ? {} : { payload: body, headers: { "content-type": "application/json" } }),
  });
}

describe("Pusher HTTP API with the official pusher SDK", () => {
  it("trigger() reaches pusher-js subscribers", async () => {
    const { channel } = await subscribed(client(), "private-workspace.1");
    const received = nextChannelEvent(channel, "message.sent");
    const response = await sdk.trigger("private-workspace.1", "message.sent", { id: 1, text: "héllo" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect((await received).data).toEqual({ id: 1, text: "héllo" });
  });

  it("trigger() to several channels and with socket_id excludes that connection", async () => {
    const { client: excluded, socketId } = await RawClient.connect(`ws://127.0.0.1:${port}/app/${TEST_APP.key}?protocol=7`);
    raws.push(excluded);
    excluded.subscribe("news");
    await excluded.next();
    const { channel } = await subscribed(client(), "news");
    const received = nextChannelEvent(channel, "e");
    await sdk.trigger(["news", "other"], "e", "x", { socket_id: socketId });
    expect((await received).data).toBe("x");
    await realtime.publish(["news"], "after", {});
    expect((await excluded.next()).event).toBe("after");
  });

  it("triggerBatch() publishes every event", async () => {
    const { channel } = await subscribed(client(), "news");
    const first = nextChannelEvent(channel, "one");
    const second = nextChannelEvent(channel, "two");
    const response = await sdk.triggerBatch([
      { channel: "news", name: "one", data: { n: 1 } },
      { channel: "news", name: "two", data: { n: 2 } },
    ]);
    expect(response.status).toBe(200);
    expect((await first).data).toEqual({ n: 1 });
    expect((await second).data).toEqual({ n: 2 });
  });

  it("get /channels, /channels/{name} and /channels/{name}/users report state", async () => {
    await subscribed(client("ann"), "presence-room");
    await subscribed(client("ann"), "presence-room");
    await subscribed(client("bob"), "presence-room");
    await subscribed(client(), "news");

    const all = await (await sdk.get({ path: "/channels" })).json();
    expect(all).toEqual({ channels: { "presence-room": {}, news: {} } });

    const presence = await (await sdk.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } })).json();
    expect(presence).toEqual({ channels: { "presence-room": { user_count: 2 } } });

    const one = await (await sdk.get({ path: "/channels/presence-room", params: { info: "user_count,subscription_count" } })).json();
    expect(one).toEqual({ occupied: true, user_count: 2, subscription_count: 3 });

    expect(await (await sdk.get({ path: "/channels/empty" })).json()).toEqual({ occupied: false });

    const users = (await (await sdk.get({ path: "/channels/presence-room/users" })).json()) as { users: Array<{ id: string }> };
    expect(users.users.map((u) => u.id).sort()).toEqual(["ann", "bob"]);
  });

  it("trigger with info returns channel attributes", async () => {
    await subscribed(client("ann"), "presence-room");
    const response = await sdk.trigger("presence-room", "e", {}, { info: "user_count,subscription_count" });
    expect(await response.json()).toEqual({ channels: { "presence-room": { user_count: 1, subscription_count: 1 } } });
  });

  it("terminateUserConnections() closes the user's connections with 4009", async () => {
    const ann = client("ann");
    await subscribed(ann, "presence-room");
    const closed = new Promise((resolve) => ann.connection.bind("error", (e: { data?: { code?: number } }) => resolve(e.data?.code)));
    const response = await sdk.terminateUserConnections("ann");
    expect(response.status).toBe(200);
    expect(await closed).toBe(4009);
  });

  it("agrees with the SDK's channel authorization signatures", async () => {
    const socketId = "123.456";
    expect(sdk.authorizeChannel(socketId, "private-a").auth).toBe(signChannelAuth(TEST_APP, socketId, "private-a"));
    const presence = sdk.authorizeChannel(socketId, "presence-a", { user_id: "u1", user_info: { n: 1 } });
    expect(presence.auth).toBe(signChannelAuth(TEST_APP, socketId, "presence-a", presence.channel_data));
  });

  it("answers 401 to a request signed with the wrong secret", async () => {
    await expect(sdkFor("wrong-secret").trigger("news", "e", {})).rejects.toMatchObject({ status: 401 });
    await expect(sdkFor("wrong-secret").get({ path: "/channels" })).rejects.toMatchObject({ status: 401 });
  });
});

describe("Pusher HTTP API edge cases", () => {
  const body = (value: unknown) => JSON.stringify(value);

  it("answers 401 to a stale timestamp, an unsigned request and a tampered body", async () => {
    const stale = await signedInject(
      "POST",
      `/apps/${TEST_APP.id}/events`,
      body({ name: "e", channel: "news", data: "{}" }),
      {},
      Math.floor(Date.now() / 1000) - 601,
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toEqual({ error: { code: "realtime.unauthorized", message: expect.stringContaining("auth_timestamp") } });

    expect((await app.inject({ method: "GET", url: `/apps/${TEST_APP.id}/channels` })).statusCode).toBe(401);

    const query = signHttpApiRequest(TEST_APP, { method: "POST", path: `/apps/${TEST_APP.id}/events`, body: body({ name: "e", channel: "news", data: "{}" }) });
    const tampered = await app.inject({
      method: "POST",
      url: `/apps/${TEST_APP.id}/events?${new URLSearchParams(query).toString()}`,
      payload: body({ name: "e", channel: "private-x", data: "{}" }),
      headers: { "content-type": "application/json" },
    });
    expect(tampered.statusCode).toBe(401);
  });

  it("checks body_md5 over the raw bytes, whitespace included", async () => {
    const raw = '{ "name": "e",\n  "channel": "news", "data": "{}" }';
    expect((await signedInject("POST", `/apps/${TEST_APP.id}/events`, raw)).statusCode).toBe(200);
  });

  it("answers 413 when data exceeds 10 KB", async () => {
    const response = await signedInject("POST", `/apps/${TEST_APP.id}/events`, body({ name: "e", channel: "news", data: "x".repeat(10 * 1024 + 1) }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("realtime.payload_too_large");
    const batch = await signedInject(
      "POST",
      `/apps/${TEST_APP.id}/batch_events`,
      body({ batch: [{ name: "e", channel: "news", data: "x".repeat(10 * 1024 + 1) }] }),
    );
    expect(batch.statusCode).toBe(413);
  });

  it.each([
    ["invalid JSON", "{"],
    ["no channel", body({ name: "e", data: "{}" })],
    ["non-string data", body({ name: "e", channel: "news", data: { a: 1 } })],
    ["an invalid channel", body({ name: "e", channel: "bad name", data: "{}" })],
    ["too many channels", body({ name: "e", channels: Array.from({ length: 101 }, (_, i) => `c${i}`), data: "{}" })],
    ["a bad socket_id", body({ name: "e", channel: "news", data: "{}", socket_id: "abc" })],
    ["a reserved event name", body({ name: "pusher_internal:member_added", channel: "news", data: "{}" })],
    ["user_count on a public channel", body({ name: "e", channel: "news", data: "{}", info: "user_count" })],
  ])("answers 400 with a message to %s", async (_name, payload) => {
    const response = await signedInject("POST", `/apps/${TEST_APP.id}/events`, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: "realtime.invalid_request", message: expect.any(String) } });
  });

  it("answers 400 to a batch of more than 10 events", async () => {
    const batch = Array.from({ length: 11 }, () => ({ name: "e", channel: "news", data: "{}" }));
    expect((await signedInject("POST", `/apps/${TEST_APP.id}/batch_events`, body({ batch }))).statusCode).toBe(400);
  });

  it("answers 400 to user_count without a presence- prefix and to users of a non-presence channel", async () => {
    expect((await signedInject("GET", `/apps/${TEST_APP.id}/channels`, undefined, { info: "user_count" })).statusCode).toBe(400);
    expect((await signedInject("GET", `/apps/${TEST_APP.id}/channels/news`, undefined, { info: "user_count" })).statusCode).toBe(400);
    expect((await signedInject("GET", `/apps/${TEST_APP.id}/channels/news/users`)).statusCode).toBe(400);
  });

  it("answers 404 to another app id", async () => {
    const response = await signedInject("GET", "/apps/999/channels");
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("realtime.app_not_found");
  });

  it("does not change how the rest of the app parses JSON", async () => {
    const outer = Fastify();
    outer.post("/echo", async (request) => request.body);
    await outer.register(pusherHttpApi, { servers: () => realtime });
    const response = await outer.inject({ method: "POST", url: "/echo", payload: { a: 1 } });
    expect(response.json()).toEqual({ a: 1 });
    await outer.close();
  });
});
