import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { Api } from "./api.ts";
import { socketUrl } from "./config.ts";
import { RealtimeClient } from "./realtime.ts";
import type { RealtimeState, SocketConstructor } from "./realtime.ts";
import { FakeSocket } from "./testing/fake-socket.ts";
import { PusherTestServer, expectedAuth } from "./testing/pusher-server.ts";

const CHANNEL = "private-visitor.c1";
// `ws` cannot be typed as the browser's WebSocket: its handlers take ws's own Event (target: a ws
// WebSocket), not the DOM's, so the real library is the one double left behind a cast.
const WS = NodeWebSocket as unknown as SocketConstructor;

interface Recorded {
  url: string;
  init: RequestInit | undefined;
}

/** A fake fetch that answers POST /broadcasting/auth the way the real server signs. */
function authFetch(calls: Recorded[]) {
  return async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const body = JSON.parse(String(init?.body)) as { socket_id: string; channel_name: string };
    return Response.json({ auth: expectedAuth(body.socket_id, body.channel_name) });
  };
}

describe("RealtimeClient against a Pusher-protocol server", () => {
  let server: PusherTestServer;
  let client: RealtimeClient | undefined;
  beforeEach(async () => {
    server = await PusherTestServer.start();
  });
  afterEach(async () => {
    client?.disconnect();
    await server.stop();
  });

  function connect(opts: { fetchCalls?: Recorded[]; events?: Array<[string, unknown]>; states?: RealtimeState[] } = {}) {
    const api = new Api(server.baseUrl, "wk_test", authFetch(opts.fetchCalls ?? []));
    client = new RealtimeClient({
      url: socketUrl(server.baseUrl, "/app/app-key"),
      channel: CHANNEL,
      authorize: (socketId, channel) => api.authorize("tok_1", "/broadcasting/auth", socketId, channel),
      onEvent: (event, data) => opts.events?.push([event, data]),
      onState: (state) => opts.states?.push(state),
      WebSocket: WS,
      random: () => 0,
    });
    client.connect();
    return client;
  }

  it("handshakes, authorizes over HTTP, subscribes and receives channel events parsed", async () => {
    const fetchCalls: Recorded[] = [];
    const events: Array<[string, unknown]> = [];
    const states: RealtimeState[] = [];
    const rt = connect({ fetchCalls, events, states });
    await vi.waitFor(() => expect(rt.state).toBe("subscribed"));

    expect(server.last.url).toBe("/app/app-key?protocol=7&client=parley-widget&version=1");
    expect(fetchCalls).toHaveLength(1);
    expect(fetchCalls[0]!.url).toBe(`${server.baseUrl}/broadcasting/auth`);
    expect(fetchCalls[0]!.init?.method).toBe("POST");
    expect((fetchCalls[0]!.init!.headers as Record<string, string>).Authorization).toBe("Bearer tok_1");
    expect(JSON.parse(String(fetchCalls[0]!.init?.body))).toEqual({ socket_id: server.last.socketId, channel_name: CHANNEL });
    expect(server.last.frames[0]).toEqual({
      event: "pusher:subscribe",
      data: { channel: CHANNEL, auth: expectedAuth(server.last.socketId, CHANNEL) },
    });
    expect(states).toEqual(["connecting", "subscribed"]);

    const message = { id: "0190a", body: "Hello from Ana", direction: "outbound" };
    server.publish(CHANNEL, "message.sent", { message });
    // An event for another channel must not be delivered.
    server.send(server.last, { event: "message.sent", channel: "private-visitor.other", data: "{}" });
    await vi.waitFor(() => expect(events).toEqual([["message.sent", { message }]]));
  });

  it("answers the server's pusher:ping with pusher:pong", async () => {
    const rt = connect();
    await vi.waitFor(() => expect(rt.state).toBe("subscribed"));
    server.send(server.last, { event: "pusher:ping", data: "{}" });
    await vi.waitFor(() => expect(server.last.frames.map((f) => f.event)).toContain("pusher:pong"));
    expect(server.last.frames.find((f) => f.event === "pusher:pong")).toEqual({ event: "pusher:pong", data: {} });
  });

  it("sends client-typing on the channel only once subscribed", async () => {
    const rt = connect();
    expect(rt.trigger("client-typing", { is_typing: true })).toBe(false);
    await vi.waitFor(() => expect(rt.state).toBe("subscribed"));
    expect(rt.trigger("client-typing", { is_typing: true })).toBe(true);
    await vi.waitFor(() => expect(server.last.frames).toContainEqual({ event: "client-typing", channel: CHANNEL, data: { is_typing: true } }));
  });

  it("reconnects and resubscribes after the server closes with 4200", async () => {
    const states: RealtimeState[] = [];
    const rt = connect({ states });
    await vi.waitFor(() => expect(rt.state).toBe("subscribed"));
    server.last.socket.close(4200, "reconnect please");
    await vi.waitFor(() => expect(server.clients).toHaveLength(2));
    await vi.waitFor(() => expect(rt.state).toBe("subscribed"));
    expect(server.clients[1]!.subscribed).toBe(true);
    expect(states).toEqual(["connecting", "subscribed", "down", "connecting", "subscribed"]);
  });

  it("treats a refused subscription as down (fallback to polling), not as subscribed", async () => {
    const states: RealtimeState[] = [];
    const api = new Api(server.baseUrl, "wk_test", async () => Response.json({ auth: "app-key:forged" }));
    client = new RealtimeClient({
      url: socketUrl(server.baseUrl, "/app/app-key"),
      channel: CHANNEL,
      authorize: (socketId, channel) => api.authorize("tok_1", "/broadcasting/auth", socketId, channel),
      onEvent: () => {},
      onState: (s) => states.push(s),
      WebSocket: WS,
      random: () => 0,
    });
    client.connect();
    await vi.waitFor(() => expect(states).toEqual(["connecting", "down"]));
    expect(server.clients).toHaveLength(1);
  });
});

/** The timer-driven behaviour (keepalive, back-off by close code), over a scriptable socket. */
describe("RealtimeClient timers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => void vi.useRealTimers());

  function start(random = () => 0) {
    const rt = new RealtimeClient({
      url: "ws://x/app/k?protocol=7",
      channel: CHANNEL,
      authorize: async () => "k:sig",
      onEvent: () => {},
      WebSocket: FakeSocket,
      random,
    });
    rt.connect();
    return rt;
  }

  async function subscribe(socket: FakeSocket, activityTimeout = 30) {
    socket.receive("pusher:connection_established", { socket_id: "1.2", activity_timeout: activityTimeout });
    await vi.advanceTimersByTimeAsync(0);
    socket.receive("pusher_internal:subscription_succeeded", "{}", CHANNEL);
  }

  it("pings after activity_timeout of silence and reconnects when no pong comes", async () => {
    const rt = start();
    const socket = FakeSocket.all[0]!;
    await subscribe(socket, 20);
    expect(rt.state).toBe("subscribed");
    await vi.advanceTimersByTimeAsync(19_999);
    expect(socket.sent.map((f) => f.event)).not.toContain("pusher:ping");
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sent.at(-1)).toEqual({ event: "pusher:ping", data: {} });
    // A pong in time keeps the connection.
    socket.receive("pusher:pong", "{}");
    await vi.advanceTimersByTimeAsync(15_000);
    expect(rt.state).toBe("subscribed");
    expect(FakeSocket.all).toHaveLength(1);
    // Next silence: ping again, and this time nothing answers.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.sent.filter((f) => f.event === "pusher:ping")).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(rt.state).not.toBe("subscribed");
    expect(FakeSocket.all).toHaveLength(2);
    rt.disconnect();
  });

  it("abandons a connection whose handshake never completes", async () => {
    const rt = start();
    FakeSocket.all[0]!.receive("pusher:connection_established", { socket_id: "1.2", activity_timeout: 120 });
    // …but no subscription_succeeded ever comes.
    await vi.advanceTimersByTimeAsync(19_999);
    expect(rt.state).toBe("connecting");
    await vi.advanceTimersByTimeAsync(2);
    expect(FakeSocket.all).toHaveLength(2);
    await subscribe(FakeSocket.all[1]!);
    expect(rt.state).toBe("subscribed");
    // Past the handshake timeout, within the keepalive period: the subscribed socket stays.
    await vi.advanceTimersByTimeAsync(25_000);
    expect(FakeSocket.all).toHaveLength(2);
    rt.disconnect();
  });

  it("waits at least 1 s after a 41xx close and 30 s after a 40xx close", async () => {
    const rt = start();
    await subscribe(FakeSocket.all[0]!);
    FakeSocket.all[0]!.onclose?.({ code: 4100 });
    expect(rt.state).toBe("down");
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);

    FakeSocket.all[1]!.onclose?.({ code: 4001 });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    rt.disconnect();
  });

  it("jitters reconnect delays and grows them with each failed attempt", async () => {
    const rt = start(() => 0.5);
    const opened: number[] = [];
    let last = Date.now();
    for (let i = 0; i < 4; i++) {
      FakeSocket.all.at(-1)!.onclose?.({ code: 1006 });
      const count = FakeSocket.all.length;
      while (FakeSocket.all.length === count) await vi.advanceTimersByTimeAsync(50);
      opened.push(Date.now() - last);
      last = Date.now();
    }
    // 0.5 × 1 s, 2 s, 4 s, 8 s (rounded up to the 50 ms step).
    expect(opened).toEqual([500, 1000, 2000, 4000]);
    rt.disconnect();
    FakeSocket.all.at(-1)!.onclose?.({ code: 1006 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(5);
  });
});
