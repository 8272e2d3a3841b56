import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signChannelAuth } from "@parley/protocol/signing";
import { nextChannelEvent, pusherClient, RawClient, recordChannel, startHarness, subscribed, TEST_APP } from "./testing/harness.ts";
import type { Harness, PusherClient, TestUser } from "./testing/harness.ts";
import type { ClientEventNotice, RealtimeServerOptions } from "./types.ts";

let h: Harness;
const pushers: PusherClient[] = [];
const raws: RawClient[] = [];
const notices: ClientEventNotice[] = [];

function client(user?: TestUser): PusherClient {
  const c = pusherClient(h, user);
  pushers.push(c);
  return c;
}

async function rawSubscribed(channel: string, user?: TestUser) {
  const { client: r, socketId } = await RawClient.connect(h.wsUrl());
  raws.push(r);
  const channelData = channel.startsWith("presence-") ? JSON.stringify(user) : undefined;
  r.subscribe(channel, channel.startsWith("private-") || channelData ? signChannelAuth(TEST_APP, socketId, channel, channelData) : undefined, channelData);
  expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
  return { r, socketId };
}

async function restart(options: Partial<RealtimeServerOptions>) {
  await h.stop();
  h = await startHarness({ onClientEvent: (n) => notices.push(n), ...options });
}

beforeEach(async () => {
  notices.length = 0;
  h = await startHarness({ onClientEvent: (n) => notices.push(n) });
});

afterEach(async () => {
  for (const p of pushers.splice(0)) p.disconnect();
  for (const r of raws.splice(0)) r.ws.terminate();
  await h.stop();
});

describe("client events", () => {
  it("relays a client event to the other subscribers but never echoes it to the sender", async () => {
    const sender = client();
    const { channel: senderChannel } = await subscribed(sender, "private-chat");
    const { channel: receiverChannel } = await subscribed(client(), "private-chat");
    const senderEvents = recordChannel(senderChannel);
    const received = nextChannelEvent(receiverChannel, "client-typing");

    senderChannel.trigger("client-typing", { is_typing: true });
    expect((await received).data).toEqual({ is_typing: true });

    const marker = nextChannelEvent(senderChannel, "marker");
    await h.realtime.publish(["private-chat"], "marker", {});
    await marker;
    expect(senderEvents.map((e) => e.event)).toEqual(["marker"]);
  });

  it("adds the sender's user_id on presence channels", async () => {
    const { channel: senderChannel } = await subscribed(client({ user_id: "ann" }), "presence-room");
    const { channel: receiverChannel } = await subscribed(client({ user_id: "bob" }), "presence-room");
    const received = nextChannelEvent(receiverChannel, "client-typing");
    senderChannel.trigger("client-typing", { is_typing: true });
    expect(await received).toEqual({ data: { is_typing: true }, metadata: { user_id: "ann" } });
    expect(notices).toEqual([
      { channel: "presence-room", event: "client-typing", data: { is_typing: true }, socketId: expect.stringMatching(/^\d+\.\d+$/), userId: "ann" },
    ]);
  });

  it("puts user_id on the frame itself and relays string data untouched", async () => {
    const { r: sender } = await rawSubscribed("presence-room", { user_id: "ann" });
    const { r: receiver } = await rawSubscribed("presence-room", { user_id: "bob" });
    sender.send({ event: "client-x", channel: "presence-room", data: "plain" });
    const frame = await receiver.nextEvent("client-x");
    expect(frame).toEqual({ event: "client-x", channel: "presence-room", data: "plain", user_id: "ann" });
  });

  it("refuses client events on public channels", async () => {
    const { r: sender } = await rawSubscribed("news");
    const { r: receiver } = await rawSubscribed("news");
    sender.send({ event: "client-x", channel: "news", data: {} });
    expect(await sender.next()).toMatchObject({ event: "pusher:error", data: { code: 4009, message: expect.stringMatching(/private and presence/) } });
    expect(await receiver.barrier()).toEqual([]);
    expect(notices).toEqual([]);
  });

  it("refuses client events on a channel the sender is not subscribed to", async () => {
    const { r: receiver } = await rawSubscribed("private-chat");
    const { client: outsider } = await RawClient.connect(h.wsUrl());
    raws.push(outsider);
    outsider.send({ event: "client-x", channel: "private-chat", data: {} });
    expect(await outsider.next()).toMatchObject({ event: "pusher:error", data: { code: 4009, message: expect.stringMatching(/not subscribed/) } });
    expect(await receiver.barrier()).toEqual([]);
  });

  it("rate limits client events per connection with pusher:error 4301", async () => {
    await restart({ now: () => 1_000, clientEventsPerSecond: 10 });
    const { r: sender } = await rawSubscribed("private-chat");
    const { r: receiver } = await rawSubscribed("private-chat");
    for (let i = 0; i < 15; i++) sender.send({ event: "client-n", channel: "private-chat", data: { i } });
    const senderFrames = await sender.barrier();
    expect(senderFrames).toHaveLength(5);
    for (const frame of senderFrames) expect(frame).toMatchObject({ event: "pusher:error", data: { code: 4301 } });
    const relayed = (await receiver.barrier()).map((f) => f.data.i);
    expect(relayed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("refills the bucket as time passes", async () => {
    let now = 0;
    await restart({ now: () => now, clientEventsPerSecond: 2 });
    const { r: sender } = await rawSubscribed("private-chat");
    for (let i = 0; i < 3; i++) sender.send({ event: "client-n", channel: "private-chat", data: {} });
    expect(await sender.barrier()).toHaveLength(1);
    now += 500;
    sender.send({ event: "client-n", channel: "private-chat", data: {} });
    expect(await sender.barrier()).toEqual([]);
  });

  it("can be disabled", async () => {
    await restart({ enableClientEvents: false });
    const { r: sender } = await rawSubscribed("private-chat");
    sender.send({ event: "client-x", channel: "private-chat", data: {} });
    expect((await sender.next()).data.message).toMatch(/disabled/);
  });

  it("survives an onClientEvent hook that throws", async () => {
    const hook = vi.fn(() => {
      throw new Error("boom");
    });
    await restart({ onClientEvent: hook });
    const { r: sender } = await rawSubscribed("private-chat");
    const { r: receiver } = await rawSubscribed("private-chat");
    sender.send({ event: "client-x", channel: "private-chat", data: {} });
    expect((await receiver.next()).event).toBe("client-x");
    expect(await sender.barrier()).toEqual([]);
    expect(hook).toHaveBeenCalledOnce();
  });
});
