import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { RawClient, startHarness, TEST_APP, until } from "./testing/harness.ts";
import type { Harness } from "./testing/harness.ts";

let h: Harness;
const clients: RawClient[] = [];

async function connect(path?: string, options?: WebSocket.ClientOptions) {
  const result = await RawClient.connect(h.wsUrl(path), options);
  clients.push(result.client);
  return result;
}

async function open(path: string) {
  const client = await RawClient.open(h.wsUrl(path));
  clients.push(client);
  return client;
}

beforeEach(async () => {
  h = await startHarness({ activityTimeoutSeconds: 45 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await h.stop();
});

describe("handshake", () => {
  it("sends pusher:connection_established with a socket id and the activity timeout as a JSON string", async () => {
    const client = await open(`/app/${TEST_APP.key}?protocol=7&client=js&version=8.6.0&flash=false`);
    await client.next();
    const frame = JSON.parse(client.raw[0] ?? "") as { event: string; data: unknown };
    expect(frame.event).toBe("pusher:connection_established");
    expect(typeof frame.data).toBe("string");
    const data = JSON.parse(frame.data as string) as { socket_id: string; activity_timeout: number };
    expect(data.socket_id).toMatch(/^\d+\.\d+$/);
    expect(data.activity_timeout).toBe(45);
  });

  it("gives every connection a different socket id", async () => {
    const ids = await Promise.all([connect(), connect(), connect()]);
    expect(new Set(ids.map((c) => c.socketId)).size).toBe(3);
  });

  it("refuses an unknown app key with pusher:error then close 4001", async () => {
    const client = await open("/app/nope?protocol=7");
    expect(await client.next()).toEqual({ event: "pusher:error", data: { code: 4001, message: "Application does not exist" } });
    expect((await client.closed).code).toBe(4001);
  });

  it.each(["/app/test-key", "/app/test-key?protocol=4", "/app/test-key?protocol=8", "/app/test-key?protocol=seven"])(
    "refuses a missing or unsupported protocol with 4007 (%s)",
    async (path) => {
      const client = await open(path);
      expect((await client.next()).data.code).toBe(4007);
      expect((await client.closed).code).toBe(4007);
    },
  );

  it.each(["/app", "/app/", "/app/test-key/extra?protocol=7"])("closes paths under /app that are not /app/{key} with 4005 (%s)", async (path) => {
    const client = await open(path);
    expect((await client.closed).code).toBe(4005);
  });

  it("answers other upgrade paths with HTTP 404 when nothing else handles them", async () => {
    const ws = new WebSocket(h.wsUrl("/elsewhere"));
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => {});
    });
    expect(status).toBe(404);
  });

  it("counts open connections, per app, in the gauge and connectionCount()", async () => {
    const { client } = await connect();
    await connect();
    expect(h.realtime.connectionCount()).toBe(2);
    expect((await h.registry.getSingleMetric("parley_realtime_connections")?.get())?.values).toEqual([
      expect.objectContaining({ labels: { app: TEST_APP.id }, value: 2 }),
    ]);
    client.close();
    await until(() => h.realtime.connectionCount() === 1);
    expect((await h.registry.getSingleMetric("parley_realtime_connections")?.get())?.values[0]?.value).toBe(1);
  });
});

describe("ping and pong", () => {
  it("answers pusher:ping with pusher:pong", async () => {
    const { client } = await connect();
    client.send({ event: "pusher:ping", data: {} });
    expect(await client.next()).toEqual({ event: "pusher:pong", data: {} });
  });

  it("answers WebSocket ping frames", async () => {
    const { client } = await connect();
    const pong = new Promise<string>((resolve) => client.ws.once("pong", (data) => resolve(data.toString())));
    client.ws.ping("hello");
    expect(await pong).toBe("hello");
  });
});

describe("bad frames", () => {
  it.each([
    ["invalid JSON", "{nope"],
    ["a JSON array", "[1,2]"],
    ["no event", '{"data":{}}'],
    ["a non-string channel", '{"event":"client-x","channel":5}'],
  ])("answers %s with pusher:error and keeps serving", async (_name, text) => {
    const { client } = await connect();
    client.send(text);
    const error = await client.next();
    expect(error.event).toBe("pusher:error");
    expect(typeof error.data.message).toBe("string");
    expect(await client.barrier()).toEqual([]);
  });

  it("refuses binary frames", async () => {
    const { client } = await connect();
    client.ws.send(Buffer.from('{"event":"pusher:ping"}'), { binary: true });
    expect((await client.next()).data.message).toMatch(/Binary frames/);
    expect(await client.barrier()).toEqual([]);
  });

  it("refuses unknown events", async () => {
    const { client } = await connect();
    client.send({ event: "pusher:unknown", data: {} });
    expect((await client.next()).data.message).toMatch(/Unsupported event/);
  });

  it("refuses a frame over 10 KiB with pusher:error without closing", async () => {
    const { client } = await connect();
    client.send({ event: "client-big", channel: "private-a", data: "x".repeat(10 * 1024) });
    expect((await client.next()).data.message).toMatch(/exceeds the 10240-byte limit/);
    expect(await client.barrier()).toEqual([]);
  });

  it("closes with 1009 on a frame far over the limit, before buffering it", async () => {
    const { client } = await connect();
    client.send("x".repeat(10 * 1024 * 8 + 1));
    expect((await client.closed).code).toBe(1009);
  });
});

describe("inactivity", () => {
  beforeEach(async () => {
    await h.stop();
    // Short idle period, but a pong window wide enough for a loaded CI machine to answer in.
    h = await startHarness({ activityTimeoutSeconds: 0.05, activityGraceMs: 0, pongTimeoutMs: 400 });
  });

  it("pings a silent client with pusher:ping, then closes it with 4201", async () => {
    // autoPong off: a silent client must not answer the WebSocket-level ping either.
    const { client } = await connect(undefined, { autoPong: false });
    expect(await client.next()).toEqual({ event: "pusher:ping", data: {} });
    expect(await client.closed).toEqual({ code: 4201, reason: "Pong reply not received" });
  });

  it("keeps a client that answers with pusher:pong", async () => {
    const { client } = await connect(undefined, { autoPong: false });
    expect((await client.next()).event).toBe("pusher:ping");
    client.send({ event: "pusher:pong", data: {} });
    // Had the pong not counted, the next thing would be the 4201 close, not a second ping.
    expect((await client.next()).event).toBe("pusher:ping");
    client.send({ event: "pusher:pong", data: {} });
    expect((await client.next()).event).toBe("pusher:ping");
  });

  it("keeps a client that answers the WebSocket-level ping", async () => {
    const { client } = await connect(undefined, { autoPong: true });
    expect((await client.next()).event).toBe("pusher:ping");
    expect((await client.next()).event).toBe("pusher:ping");
  });
});

describe("client address", () => {
  it("logs each connection with the address clientAddress gives (the HTTP API's TRUST_PROXY view)", async () => {
    await h.stop();
    const lines: Array<{ msg: string; ip?: string }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    h = await startHarness({ logger, clientAddress: (request) => String(request.headers["x-forwarded-for"] ?? "direct") });
    await connect(undefined, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(lines.find((line) => line.msg === "realtime connection opened")?.ip).toBe("203.0.113.7");
  });
});
