import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signChannelAuth } from "@parley/protocol/signing";
import { connected, nextChannelEvent, pusherClient, RawClient, recordChannel, startHarness, subscribed, TEST_APP, until } from "./testing/harness.ts";
import type { Harness, PusherClient, PusherClientOptions, TestUser } from "./testing/harness.ts";

let h: Harness;
const pushers: PusherClient[] = [];
const raws: RawClient[] = [];

function client(user?: TestUser, authOverride?: string, options?: PusherClientOptions): PusherClient {
  const c = pusherClient(h, user, authOverride, options);
  pushers.push(c);
  return c;
}

async function raw() {
  const result = await RawClient.connect(h.wsUrl());
  raws.push(result.client);
  return result;
}

beforeEach(async () => {
  h = await startHarness({ maxPresenceMembers: 3 });
});

afterEach(async () => {
  for (const p of pushers.splice(0)) p.disconnect();
  for (const r of raws.splice(0)) r.ws.terminate();
  await h.stop();
});

describe("public and private channels", () => {
  it("delivers a published event to a pusher-js subscriber of a public channel", async () => {
    const { channel } = await subscribed(client(), "news");
    const received = nextChannelEvent(channel, "story");
    await h.realtime.publish(["news"], "story", { title: "hello" });
    expect((await received).data).toEqual({ title: "hello" });
  });

  it("authorizes private channels with the HMAC of socket_id:channel", async () => {
    const { channel } = await subscribed(client(), "private-workspace.1");
    const received = nextChannelEvent(channel, "message.sent");
    await h.realtime.publish(["private-workspace.1"], "message.sent", { id: 1 });
    expect((await received).data).toEqual({ id: 1 });
  });

  it("refuses a wrong signature with pusher:subscription_error (AuthError, 401) and never succeeds", async () => {
    const c = client(undefined, `${TEST_APP.key}:${"0".repeat(64)}`);
    await expect(subscribed(c, "private-secret")).rejects.toMatchObject({ type: "AuthError", status: 401 });
    expect(c.channel("private-secret").subscribed).toBe(false);
  });

  it("refuses a signature made with another secret, a missing auth and another socket's signature", async () => {
    const { client: r, socketId } = await raw();
    const cases = [
      signChannelAuth({ key: TEST_APP.key, secret: "wrong" }, socketId, "private-a"),
      undefined,
      signChannelAuth(TEST_APP, "1.1", "private-a"),
      signChannelAuth(TEST_APP, socketId, "private-b"),
    ];
    for (const auth of cases) {
      r.subscribe("private-a", auth);
      const frame = await r.next();
      expect(frame).toMatchObject({ event: "pusher:subscription_error", channel: "private-a", data: { type: "AuthError", status: 401 } });
    }
    expect(await r.barrier()).toEqual([]);
    expect(await h.realtime.channel("private-a")).toMatchObject({ occupied: false });
  });

  it("authorizes private-encrypted channels like private ones", async () => {
    const { client: r, socketId } = await raw();
    r.subscribe("private-encrypted-a", signChannelAuth(TEST_APP, socketId, "private-encrypted-a"));
    expect(await r.next()).toEqual({ event: "pusher_internal:subscription_succeeded", channel: "private-encrypted-a", data: {} });
  });

  it.each(["has space", "x".repeat(165), "bad/slash", ""])("refuses the invalid channel name %j", async (name) => {
    const { client: r } = await raw();
    r.subscribe(name);
    expect(await r.next()).toMatchObject({ event: "pusher:subscription_error", data: { type: "InvalidChannel", status: 400 } });
    expect(await r.barrier()).toEqual([]);
  });

  it("answers a subscribe without a channel with pusher:error", async () => {
    const { client: r } = await raw();
    r.send({ event: "pusher:subscribe", data: {} });
    expect((await r.next()).event).toBe("pusher:error");
  });

  it("accepts subscribe data sent as a JSON string", async () => {
    const { client: r } = await raw();
    r.send({ event: "pusher:subscribe", data: JSON.stringify({ channel: "news" }) });
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
  });

  it("stops delivering after pusher:unsubscribe", async () => {
    const { client: r } = await raw();
    r.subscribe("news");
    r.subscribe("other");
    await r.nextEvent("pusher_internal:subscription_succeeded");
    await r.nextEvent("pusher_internal:subscription_succeeded");
    r.send({ event: "pusher:unsubscribe", data: { channel: "news" } });
    await r.barrier();
    await h.realtime.publish(["news"], "dropped", {});
    await h.realtime.publish(["other"], "kept", {});
    expect(await r.next()).toMatchObject({ event: "kept", channel: "other" });
  });

  it("confirms a repeated subscription without a second membership", async () => {
    const { client: r } = await raw();
    r.subscribe("news");
    r.subscribe("news");
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    expect((await h.realtime.channel("news")).subscriptionCount).toBe(1);
  });
});

describe("presence channels", () => {
  const ann = { user_id: "ann", user_info: { name: "Ann" } };
  const bob = { user_id: "bob", user_info: { name: "Bob" } };

  it("confirms with the member list and announces a new user to the others", async () => {
    const a = client(ann);
    const { channel: channelA, data: membersA } = await subscribed(a, "presence-room");
    expect(membersA.count).toBe(1);
    expect(membersA.me).toEqual({ id: "ann", info: { name: "Ann" } });

    const added = nextChannelEvent(channelA, "pusher:member_added");
    const { data: membersB } = await subscribed(client(bob), "presence-room");
    expect((await added).data).toEqual({ id: "bob", info: { name: "Bob" } });
    expect(membersB.count).toBe(2);
    expect(membersB.get("ann")).toEqual({ id: "ann", info: { name: "Ann" } });
  });

  it("sends the presence payload as a JSON string of {presence:{ids,hash,count}}", async () => {
    const { client: r, socketId } = await raw();
    const channelData = JSON.stringify(ann);
    r.subscribe("presence-room", signChannelAuth(TEST_APP, socketId, "presence-room", channelData), channelData);
    await r.next();
    expect(JSON.parse(r.raw[1] ?? "")).toEqual({
      event: "pusher_internal:subscription_succeeded",
      channel: "presence-room",
      data: JSON.stringify({ presence: { ids: ["ann"], hash: { ann: { name: "Ann" } }, count: 1 } }),
    });
  });

  it("announces member_added on a user's first tab only and member_removed on its last", async () => {
    const observer = client(bob);
    const { channel } = await subscribed(observer, "presence-room");
    const events = recordChannel(channel);

    const tab1 = client(ann);
    await subscribed(tab1, "presence-room");
    const tab2 = client(ann);
    const { data: members } = await subscribed(tab2, "presence-room");
    expect(members.count).toBe(2);

    tab1.disconnect();
    await until(async () => (await h.realtime.channel("presence-room")).subscriptionCount === 2);
    await h.realtime.publish(["presence-room"], "marker", { n: 1 });
    await until(() => events.some((e) => e.event === "marker"));

    tab2.disconnect();
    const removed = nextChannelEvent(channel, "pusher:member_removed");
    expect((await removed).data).toEqual({ id: "ann", info: { name: "Ann" } });

    expect(events.map((e) => e.event)).toEqual(["pusher:member_added", "marker", "pusher:member_removed"]);
    expect(await h.realtime.presenceMembers("presence-room")).toEqual([{ id: "bob", info: { name: "Bob" } }]);
  });

  it("announces member_removed when a member unsubscribes", async () => {
    const { channel } = await subscribed(client(bob), "presence-room");
    const a = client(ann);
    await subscribed(a, "presence-room");
    const removed = nextChannelEvent(channel, "pusher:member_removed");
    a.unsubscribe("presence-room");
    expect((await removed).data.id).toBe("ann");
  });

  it("accepts a numeric user_id (Laravel) as its decimal string", async () => {
    const { data } = await subscribed(client({ user_id: 10 }), "presence-room");
    expect(data.count).toBe(1);
    expect(await h.realtime.presenceMembers("presence-room")).toEqual([{ id: "10" }]);
  });

  it.each([
    ["a user_id over 128 characters", { user_id: "x".repeat(129) }],
    ["a user_info over 1 KB", { user_id: "u", user_info: { s: "x".repeat(1100) } }],
    ["no user_id", { user_info: {} }],
  ])("refuses %s", async (_name, data) => {
    const { client: r, socketId } = await raw();
    const channelData = JSON.stringify(data);
    r.subscribe("presence-room", signChannelAuth(TEST_APP, socketId, "presence-room", channelData), channelData);
    expect(await r.next()).toMatchObject({ event: "pusher:subscription_error", data: { type: "InvalidChannelData", status: 400 } });
    expect(await h.realtime.presenceMembers("presence-room")).toEqual([]);
  });

  it("refuses a presence subscription without channel_data or with channel_data it was not signed for", async () => {
    const { client: r, socketId } = await raw();
    r.subscribe("presence-room", signChannelAuth(TEST_APP, socketId, "presence-room"));
    expect((await r.next()).data).toMatchObject({ type: "AuthError", status: 401 });
    const signed = JSON.stringify(ann);
    r.subscribe("presence-room", signChannelAuth(TEST_APP, socketId, "presence-room", signed), JSON.stringify(bob));
    expect((await r.next()).data).toMatchObject({ type: "AuthError", status: 401 });
    expect(await r.barrier()).toEqual([]);
  });

  it("refuses a new user beyond maxPresenceMembers but lets a known user open another tab", async () => {
    for (const user of ["a", "b", "c"]) await subscribed(client({ user_id: user }), "presence-full");
    await expect(subscribed(client({ user_id: "d" }), "presence-full")).rejects.toMatchObject({ type: "LimitReached", status: 403 });
    await subscribed(client({ user_id: "a" }), "presence-full");
    expect((await h.realtime.presenceMembers("presence-full")).map((m) => m.id).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("cache channels", () => {
  it("replays the last event to a new subscriber", async () => {
    await h.realtime.publish(["cache-prices"], "price", { v: 1 });
    await h.realtime.publish(["cache-prices"], "price", { v: 2 });
    const { client: r } = await raw();
    r.subscribe("cache-prices");
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    expect(await r.next()).toEqual({ event: "price", channel: "cache-prices", data: { v: 2 } });
  });

  it("sends pusher:cache_miss when there is nothing cached", async () => {
    const { client: r } = await raw();
    r.subscribe("cache-empty");
    await r.next();
    expect(await r.next()).toEqual({ event: "pusher:cache_miss", channel: "cache-empty" });
  });
});

describe("user sign-in", () => {
  it("lets a signed-in connection subscribe to its #server-to-user channel only", async () => {
    const { client: r, socketId } = await raw();
    const { signUserAuth } = await import("@parley/protocol/signing");
    const userData = JSON.stringify({ id: "ann" });
    r.subscribe("#server-to-user-ann");
    expect((await r.next()).data).toMatchObject({ type: "AuthError", status: 403 });
    r.send({ event: "pusher:signin", data: { auth: signUserAuth(TEST_APP, socketId, userData), user_data: userData } });
    expect(await r.next()).toEqual({ event: "pusher:signin_success", data: { user_data: userData } });
    r.subscribe("#server-to-user-ann");
    expect((await r.next()).event).toBe("pusher_internal:subscription_succeeded");
    r.subscribe("#server-to-user-bob");
    expect((await r.next()).event).toBe("pusher:subscription_error");
  });

  it("refuses a bad signin signature with pusher:error 4009", async () => {
    const { client: r } = await raw();
    r.send({ event: "pusher:signin", data: { auth: `${TEST_APP.key}:nope`, user_data: '{"id":"ann"}' } });
    expect(await r.next()).toMatchObject({ event: "pusher:error", data: { code: 4009 } });
  });

  it("works with pusher-js signin()", async () => {
    const { signUserAuth } = await import("@parley/protocol/signing");
    const c = client(undefined, undefined, {
      userAuthentication: {
        customHandler: ({ socketId }, callback) => {
          const userData = JSON.stringify({ id: "ann" });
          callback(null, { auth: signUserAuth(TEST_APP, socketId, userData), user_data: userData });
        },
      },
    });
    const received = new Promise((resolve) => c.user.bind("notice", resolve));
    c.signin();
    await connected(c);
    await until(async () => (await h.realtime.channel("#server-to-user-ann")).occupied);
    await h.realtime.publish(["#server-to-user-ann"], "notice", { hi: true });
    expect(await received).toEqual({ hi: true });
  });
});
