import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Socket } from "node:net";
import { WebSocket as ServerSideWebSocket } from "ws";
import { LocalFanout } from "./fanout/local.ts";
import { RawClient, startHarness } from "./testing/harness.ts";
import type { Harness } from "./testing/harness.ts";

let h: Harness;
let fanout: LocalFanout;
const raws: RawClient[] = [];

async function subscriber(channel: string) {
  const { client, socketId } = await RawClient.connect(h.wsUrl());
  raws.push(client);
  client.subscribe(channel);
  expect((await client.next()).event).toBe("pusher_internal:subscription_succeeded");
  return { client, socketId };
}

beforeEach(async () => {
  fanout = new LocalFanout();
  h = await startHarness({ fanout });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of raws.splice(0)) r.ws.terminate();
  await h.stop();
});

describe("publish", () => {
  it("sends data as a JSON string: objects encoded once, strings untouched", async () => {
    const { client } = await subscriber("news");
    await h.realtime.publish(["news"], "a", { n: 1 });
    await h.realtime.publish(["news"], "b", '{"already":"json"}');
    await h.realtime.publish(["news"], "c", "plain text");
    await client.next();
    await client.next();
    await client.next();
    expect(client.raw.slice(-3).map((text) => JSON.parse(text))).toEqual([
      { event: "a", channel: "news", data: '{"n":1}' },
      { event: "b", channel: "news", data: '{"already":"json"}' },
      { event: "c", channel: "news", data: "plain text" },
    ]);
  });

  it("publishes to several channels at once", async () => {
    const { client: a } = await subscriber("one");
    const { client: b } = await subscriber("two");
    await h.realtime.publish(["one", "two", "nobody-here"], "e", {});
    expect(await a.next()).toMatchObject({ event: "e", channel: "one" });
    expect(await b.next()).toMatchObject({ event: "e", channel: "two" });
  });

  it("skips the connection named by exceptSocketId", async () => {
    const { client: publisher, socketId } = await subscriber("news");
    const { client: other } = await subscriber("news");
    await h.realtime.publish(["news"], "excluded", {}, { exceptSocketId: socketId });
    await h.realtime.publish(["news"], "everyone", {});
    expect((await publisher.next()).event).toBe("everyone");
    expect((await other.next()).event).toBe("excluded");
  });

  it("refuses invalid channel names", async () => {
    await expect(h.realtime.publish(["bad name"], "e", {})).rejects.toThrow(TypeError);
  });

  it("encodes and frames a broadcast once and writes the same bytes to every subscriber's socket", async () => {
    const { client: solo } = await subscriber("solo");
    const news = await Promise.all(Array.from({ length: 5 }, () => subscriber("news")));
    const encode = vi.spyOn(fanout, "encodeFrame");
    const stringify = vi.spyOn(JSON, "stringify");
    const send = vi.spyOn(ServerSideWebSocket.prototype, "send");
    const socketWrite = vi.spyOn(Socket.prototype, "write");

    await h.realtime.publish(["solo"], "big", { text: "x".repeat(1000) });
    const stringifyForOne = stringify.mock.calls.length;
    expect(encode).toHaveBeenCalledTimes(1);
    encode.mockClear();
    stringify.mockClear();
    send.mockClear();
    socketWrite.mockClear();

    await h.realtime.publish(["news"], "big", { text: "x".repeat(1000) });
    expect(encode).toHaveBeenCalledTimes(1);
    expect(stringify.mock.calls.length).toBe(stringifyForOne);
    // Past ws.send (which frames per socket): one ready-made text frame, the same Buffer for all.
    expect(send).not.toHaveBeenCalled();
    const frames = socketWrite.mock.calls.map((call) => call[0]).filter((chunk) => Buffer.isBuffer(chunk) && chunk.includes('"event":"big"'));
    expect(frames).toHaveLength(5);
    expect(new Set(frames).size).toBe(1);
    expect((frames[0] as Buffer)[0]).toBe(0x81);
    expect((await solo.next()).event).toBe("big");
    for (const { client } of news) expect((await client.next()).event).toBe("big");
  });

  it("records messages and broadcast latency metrics", async () => {
    await subscriber("news");
    await subscriber("news");
    await h.realtime.publish(["news"], "e", {});
    const messages = await h.registry.getSingleMetric("parley_realtime_messages_total")?.get();
    const value = (direction: string) => messages?.values.find((v) => v.labels.direction === direction)?.value;
    expect(value("in")).toBe(2);
    // Two connection_established, two subscription_succeeded, two broadcast copies.
    expect(value("out")).toBe(6);
    const latency = await h.registry.getSingleMetric("parley_realtime_broadcast_latency_seconds")?.get();
    expect(latency?.values.find((v) => (v as { metricName?: string }).metricName === "parley_realtime_broadcast_latency_seconds_count")?.value).toBe(1);
  });
});

describe("slow consumers", () => {
  it("drops a connection whose send buffer exceeds maxBufferedBytes while others keep receiving", async () => {
    await h.stop();
    fanout = new LocalFanout();
    h = await startHarness({ fanout, maxBufferedBytes: 256 * 1024 });
    const { client: slow } = await subscriber("firehose");
    const { client: fast } = await subscriber("firehose");
    // Stop reading: the kernel buffers fill, then ws buffers in user space, then the bound trips.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = "x".repeat(64 * 1024);
    let sent = 0;
    while (h.realtime.connectionCount() === 2 && sent < 2000) {
      await h.realtime.publish(["firehose"], "chunk", payload);
      sent++;
      await fast.next();
    }
    expect(h.realtime.connectionCount()).toBe(1);
    expect(sent).toBeLessThan(2000);
    const dropped = await h.registry.getSingleMetric("parley_realtime_slow_consumers_total")?.get();
    expect(dropped?.values[0]?.value).toBe(1);
    await h.realtime.publish(["firehose"], "after", {});
    expect((await fast.next()).event).toBe("after");
  });
});
