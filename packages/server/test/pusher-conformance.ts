/**
 * The Pusher conformance suite: what a Laravel team relies on when it points its app at Parley
 * instead of Pusher or Reverb, driven only by the official packages (pusher-js, laravel-echo,
 * the `pusher` server SDK), with a hosted app from PARLEY_APPS beside Parley's own app.
 * `runConformance` runs the same scenarios against any cluster: one node, or three nodes on
 * PostgreSQL and Redis (pusher-conformance.test.ts). Scenarios spread their clients over the
 * nodes (`node(i)` is node i modulo their number), so on three nodes every check crosses nodes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Channel, PresenceChannel } from "pusher-js";
import { signChannelAuth } from "@parley/protocol/signing";
import type { RealtimeServer } from "../src/realtime/server.ts";
import type { HostedAppsOptions } from "../src/realtime/apps/hosted-apps.ts";
import { eventually } from "./eventually.ts";
import type { TestParley } from "./parley.ts";
import {
  AppBackend,
  clientOptions,
  connectedOrRefused,
  laravelEcho,
  Pusher,
  type PusherClient,
  pusherJs,
  serverSdk,
  type TestAppConfig,
  WebhookReceiver,
} from "./pusher-apps.ts";

/** How long a unit is held after its last subscriber left before channel_vacated / member_removed. */
export const LEAVE_DELAY_MS = 2_000;

/** Shortened timings of the hosted apps, so the suite does not wait Pusher's 3 s. */
export const CONFORMANCE_TIMINGS: NonNullable<HostedAppsOptions["timings"]> = {
  webhookBatchMs: 100,
  webhookLeaveDelayMs: LEAVE_DELAY_MS,
  subscriptionCountIntervalMs: 100,
  sweepIntervalMs: 500,
  connectionCountIntervalMs: 200,
};

/** The channel cap the suite runs with (MAX_CHANNELS_PER_CONNECTION). */
export const CHANNEL_CAP = 5;

/** A running cluster. */
export interface ConformanceCluster {
  nodes: TestParley[];
  /** The Redis key prefix of the cluster, when it runs on Redis. */
  redisPrefix?: string;
  /** Keys under a prefix, when it runs on Redis. */
  redisKeys?: (prefix: string) => Promise<string[]>;
  /** Stops every node gracefully; a second call does nothing. */
  stop(): Promise<void>;
  /** Removes what the stopped cluster left (its database, its Redis keys). */
  cleanup?(): Promise<void>;
}

/** The hosted apps, given the webhook receiver's URL: a full-featured shop, one with a quota of 2, one disabled. */
export function conformanceApps(webhookUrl: string): TestAppConfig[] {
  return [
    { id: "1001", key: "shop-key", secret: "shop-secret", name: "Shop", subscription_count: true, webhooks: [{ url: webhookUrl }] },
    { id: "1002", key: "quota-key", secret: "quota-secret", max_connections: 2 },
    { id: "1003", key: "off-key", secret: "off-secret", enabled: false },
  ];
}

/** The environment a conformance node runs with, besides its database and Redis. */
export function conformanceEnv(apps: TestAppConfig[]): Record<string, string> {
  return { PARLEY_APPS: JSON.stringify(apps), MAX_CHANNELS_PER_CONNECTION: String(CHANNEL_CAP) };
}

export function runConformance(name: string, start: (apps: TestAppConfig[]) => Promise<ConformanceCluster>): void {
  describe(`Pusher conformance: ${name}`, () => {
    let cluster: ConformanceCluster;
    let receiver: WebhookReceiver;
    let backend: AppBackend;
    let SHOP: TestAppConfig;
    let QUOTA: TestAppConfig;
    const clients: PusherClient[] = [];
    const echos: Array<{ disconnect(): void }> = [];

    beforeAll(async () => {
      const probe = conformanceApps("http://127.0.0.1/")[0]!;
      receiver = await WebhookReceiver.start(probe);
      backend = await AppBackend.start(probe);
      const apps = conformanceApps(receiver.url);
      [SHOP, QUOTA] = apps as [TestAppConfig, TestAppConfig];
      cluster = await start(apps);
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.disconnect();
      for (const echo of echos.splice(0)) echo.disconnect();
    });

    afterAll(async () => {
      await cluster?.stop();
      await cluster?.cleanup?.();
      await receiver?.stop();
      await backend?.stop();
    });

    const node = (i: number): TestParley => cluster.nodes[i % cluster.nodes.length]!;
    const shopServer = (i: number): RealtimeServer => node(i).hostedApps!.apps.find((app) => app.definition.id === SHOP.id)!.server;
    const shop = (i: number, userId: string): PusherClient => {
      const client = pusherJs(SHOP, node(i).url, backend, userId);
      clients.push(client);
      return client;
    };
    /** A pusher-js client of Parley's own app (public channels need no authorisation). */
    const own = (i: number): PusherClient => {
      const url = new URL(node(i).url);
      const client = new Pusher(node(i).realtimeApp.key, {
        cluster: "",
        wsHost: url.hostname,
        wsPort: Number(url.port),
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
      });
      clients.push(client);
      return client;
    };
    const ownSdk = (i: number) => serverSdk({ ...node(i).realtimeApp }, node(i).url);

    describe("apps", () => {
      it("keeps the hosted app and Parley's own app apart both ways: events, channel lists, signatures", async () => {
        const shopNews = await subscribed(shop(1, "iso"), "news");
        const ownNews = await subscribed(own(2), "news");
        await subscribed(shop(0, "iso"), "shop-only");
        await subscribed(own(0), "own-only");
        const shopEvents = record(shopNews);
        const ownEvents = record(ownNews);

        await serverSdk(SHOP, node(0).url).trigger("news", "from-shop", { n: 1 });
        await ownSdk(1).trigger("news", "from-parley", { n: 2 });
        await eventually(() => shopEvents.some((e) => e.event === "from-shop") && ownEvents.some((e) => e.event === "from-parley"));
        // A second round trip on each side: anything crossing over would have arrived by now.
        await serverSdk(SHOP, node(2).url).trigger("news", "shop-marker", {});
        await ownSdk(2).trigger("news", "parley-marker", {});
        await eventually(() => shopEvents.some((e) => e.event === "shop-marker") && ownEvents.some((e) => e.event === "parley-marker"));
        expect(shopEvents.map((e) => e.event)).toEqual(["from-shop", "shop-marker"]);
        expect(ownEvents.map((e) => e.event)).toEqual(["from-parley", "parley-marker"]);

        const shopChannels = Object.keys((await (await serverSdk(SHOP, node(1).url).get({ path: "/channels" })).json()).channels);
        const ownChannels = Object.keys((await (await ownSdk(2).get({ path: "/channels" })).json()).channels);
        expect(shopChannels).toContain("shop-only");
        expect(shopChannels).not.toContain("own-only");
        expect(ownChannels).toContain("own-only");
        expect(ownChannels).not.toContain("shop-only");

        // Each app's HTTP API takes its own signature only.
        const crossed = serverSdk({ ...SHOP, id: node(0).realtimeApp.id }, node(0).url);
        await expect(crossed.trigger("news", "sneaky", {})).rejects.toMatchObject({ status: 401 });
        const crossedBack = serverSdk({ ...node(0).realtimeApp, id: SHOP.id }, node(0).url);
        await expect(crossedBack.trigger("news", "sneaky", {})).rejects.toMatchObject({ status: 401 });

        // A private channel of the hosted app refuses a signature made with Parley's own secret.
        const url = new URL(node(1).url);
        const forged = new Pusher(SHOP.key, {
          cluster: "",
          wsHost: url.hostname,
          wsPort: Number(url.port),
          forceTLS: false,
          enabledTransports: ["ws"],
          disableStats: true,
          channelAuthorization: {
            customHandler: ({ socketId, channelName }, callback) =>
              callback(null, { auth: signChannelAuth({ key: SHOP.key, secret: node(1).realtimeApp.secret }, socketId, channelName) }),
          },
        });
        clients.push(forged);
        await expect(subscribed(forged, "private-orders")).rejects.toMatchObject({ type: "AuthError", status: 401 });

        if (cluster.redisKeys !== undefined && cluster.redisPrefix !== undefined) {
          const members = await subscribed(shop(0, "iso-member"), "presence-iso");
          expect(members.channel.name).toBe("presence-iso");
          const hosted = await cluster.redisKeys(`${cluster.redisPrefix}apps:${SHOP.id}:`);
          const ownPresence = await cluster.redisKeys(`${cluster.redisPrefix}presence:`);
          expect(hosted).toContain(`${cluster.redisPrefix}apps:${SHOP.id}:presence:presence-iso:members`);
          expect(ownPresence.filter((key) => key.includes("presence-iso"))).toEqual([]);
        }
      });

      it("closes an unknown key with 4001, a disabled app with 4003 and a connection over the app's quota with 4004, counted across nodes", async () => {
        const client = (key: string, i: number) => {
          const url = new URL(node(i).url);
          const c = new Pusher(key, {
            cluster: "",
            wsHost: url.hostname,
            wsPort: Number(url.port),
            forceTLS: false,
            enabledTransports: ["ws"],
            disableStats: true,
          });
          clients.push(c);
          return c;
        };
        expect(await connectedOrRefused(client("no-such-key", 1))).toEqual({ code: 4001 });
        expect(await connectedOrRefused(client("off-key", 2))).toEqual({ code: 4003 });
        expect(await connectedOrRefused(client(QUOTA.key, 0))).toHaveProperty("socketId");
        expect(await connectedOrRefused(client(QUOTA.key, 1))).toHaveProperty("socketId");
        // Other nodes' counts arrive within one exchange interval: probe until the quota holds.
        await eventually(async () => {
          const probe = client(QUOTA.key, 2);
          const outcome = await connectedOrRefused(probe);
          probe.disconnect();
          return "code" in outcome && outcome.code === 4004;
        });
        // The disabled app's HTTP API answers 403.
        await expect(serverSdk(conformanceApps("")[2]!, node(0).url).trigger("news", "e", {})).rejects.toMatchObject({ status: 403 });
      });
    });

    describe("laravel-echo", () => {
      for (const broadcaster of ["reverb", "pusher"] as const) {
        it(`works as the ${broadcaster} broadcaster: private and presence channels authorised by the app's backend, whispers, server events`, async () => {
          const ann = laravelEcho(broadcaster, SHOP, node(0).url, backend, "ann");
          const bob = laravelEcho(broadcaster, SHOP, node(1).url, backend, "bob");
          echos.push(ann, bob);
          const room = `room.${broadcaster}`;

          const shipped = new Promise<unknown>((resolve) => ann.private(`orders.${broadcaster}`).listen(".shipped", resolve));
          await eventually(async () => (await shopServer(2).channel(`private-orders.${broadcaster}`)).occupied);
          await serverSdk(SHOP, node(2).url).trigger(`private-orders.${broadcaster}`, "shipped", { order: 5 });
          expect(await shipped).toEqual({ order: 5 });

          const here = new Promise<Array<{ name: string }>>((resolve) => {
            ann
              .join(room)
              .here(resolve)
              .joining((user: { name: string }) => joined.push(user.name))
              .leaving((user: { name: string }) => left.push(user.name));
          });
          const joined: string[] = [];
          const left: string[] = [];
          expect(await here).toEqual([{ name: "User ann" }]);
          const bobHere = new Promise<Array<{ name: string }>>((resolve) => bob.join(room).here(resolve));
          expect((await bobHere).map((u) => u.name).sort()).toEqual(["User ann", "User bob"]);
          await eventually(() => joined.includes("User bob"));

          const whispered = new Promise<unknown>((resolve) => ann.join(room).listenForWhisper("typing", resolve));
          bob.join(room).whisper("typing", { typing: true });
          expect(await whispered).toEqual({ typing: true });

          bob.leave(room);
          await eventually(() => left.includes("User bob"));

          backend.refuse = true;
          try {
            const refused = await new Promise<unknown>((resolve) => bob.private(`secret.${broadcaster}`).error(resolve));
            expect(refused).toMatchObject({ type: "AuthError", status: 403 });
          } finally {
            backend.refuse = false;
          }
        });
      }
    });

    describe("protocol", () => {
      it("signs users in, delivers server-to-user events on every node, refuses a bad signature with 4009 and terminates a user's connections everywhere", async () => {
        const tabs = [shop(0, "u7"), shop(2, "u7")];
        const notices = tabs.map((tab) => new Promise<unknown>((resolve) => tab.user.bind("notice", resolve)));
        const signedIn = tabs.map((tab) => new Promise<unknown>((resolve) => tab.bind("pusher:signin_success", resolve)));
        for (const tab of tabs) tab.signin();
        await Promise.all(signedIn);
        await eventually(async () => (await shopServer(1).channel("#server-to-user-u7")).subscriptionCount === 2);
        await serverSdk(SHOP, node(1).url).sendToUser("u7", "notice", { n: 1 });
        expect(await Promise.all(notices)).toEqual([{ n: 1 }, { n: 1 }]);

        const url = new URL(node(1).url);
        const forger = new Pusher(SHOP.key, {
          cluster: "",
          wsHost: url.hostname,
          wsPort: Number(url.port),
          forceTLS: false,
          enabledTransports: ["ws"],
          disableStats: true,
          userAuthentication: {
            transport: "ajax",
            endpoint: "",
            customHandler: (_params, callback) => callback(null, { auth: `${SHOP.key}:forged`, user_data: '{"id":"u7"}' }),
          },
        });
        clients.push(forger);
        const refused = new Promise<{ data: { code: number } }>((resolve) => forger.connection.bind("error", resolve));
        forger.signin();
        expect((await refused).data.code).toBe(4009);

        const gone = tabs.map(
          (tab) =>
            new Promise<void>((resolve) => tab.connection.bind("state_change", ({ current }: { current: string }) => current !== "connected" && resolve())),
        );
        await serverSdk(SHOP, node(1).url).terminateUserConnections("u7");
        await Promise.all(gone);
        expect(forger.connection.state).toBe("connected");
      });

      it("tells a signed-in user when users on their watchlist come online and go offline, whichever node they use", async () => {
        backend.watch("w1", ["w2", "w3"]);
        const watcher = shop(0, "w1");
        const events: Array<{ name: string; user_ids: string[] }> = [];
        watcher.user.watchlist.bind("online", (event: { name: string; user_ids: string[] }) => events.push(event));
        watcher.user.watchlist.bind("offline", (event: { name: string; user_ids: string[] }) => events.push(event));
        watcher.signin();
        await eventually(() => events.length > 0);
        expect(events.splice(0)).toEqual([{ name: "offline", user_ids: ["w2", "w3"] }]);

        const w2 = shop(1, "w2");
        w2.signin();
        await eventually(() => events.length > 0);
        expect(events.splice(0)).toEqual([{ name: "online", user_ids: ["w2"] }]);

        w2.disconnect();
        await eventually(() => events.length > 0);
        expect(events.splice(0)).toEqual([{ name: "offline", user_ids: ["w2"] }]);
      });

      it("sends pusher:subscription_count with the cluster-wide count, never on presence channels", async () => {
        const first = await subscribed(shop(0, "c1"), "counted");
        const counts: number[] = [];
        first.channel.bind("pusher:subscription_count", (data: { subscription_count: number }) => counts.push(data.subscription_count));
        const second = await subscribed(shop(1, "c2"), "counted");
        await eventually(() => counts.at(-1) === 2);
        await eventually(() => (second.channel as unknown as { subscriptionCount: number | null }).subscriptionCount === 2);
        clients.at(-1)?.disconnect();
        await eventually(() => counts.at(-1) === 1);

        const presence = await subscribed(shop(2, "c3"), "presence-counted");
        const presenceCounts: unknown[] = [];
        presence.channel.bind("pusher:subscription_count", (data: unknown) => presenceCounts.push(data));
        await subscribed(shop(0, "c4"), "presence-counted");
        const marker = new Promise<void>((resolve) => presence.channel.bind("marker", () => resolve()));
        await serverSdk(SHOP, node(1).url).trigger("presence-counted", "marker", {});
        await marker;
        expect(presenceCounts).toEqual([]);
      });

      it("serves the HTTP API of the hosted app through the pusher SDK: triggers with exclusion, batches, channel info and users, on any node", async () => {
        const a = shop(0, "ha");
        const aRoom = await subscribed(a, "presence-api");
        const bRoom = await subscribed(shop(1, "hb"), "presence-api");
        const aEvents = record(aRoom);
        const bEvents = record(bRoom);
        const socketA = a.connection.socket_id;

        await serverSdk(SHOP, node(2).url).trigger("presence-api", "note", { n: 1 }, { socket_id: socketA });
        await serverSdk(SHOP, node(2).url).triggerBatch([
          { channel: "presence-api", name: "batched", data: { n: 2 } },
          { channel: "presence-api", name: "batched", data: { n: 3 } },
        ]);
        await eventually(() => bEvents.filter((e) => e.event === "batched").length === 2 && aEvents.filter((e) => e.event === "batched").length === 2);
        expect(bEvents.filter((e) => e.event === "note").map((e) => e.data)).toEqual([{ n: 1 }]);
        expect(aEvents.some((e) => e.event === "note")).toBe(false);

        const sdk = serverSdk(SHOP, node(2).url);
        const info = await (await sdk.get({ path: "/channels/presence-api", params: { info: "user_count,subscription_count" } })).json();
        expect(info).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
        const users = await (await sdk.get({ path: "/channels/presence-api/users" })).json();
        expect(users.users.map((u: { id: string }) => u.id).sort()).toEqual(["ha", "hb"]);
        const listed = await (await sdk.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } })).json();
        expect(listed.channels["presence-api"]).toEqual({ user_count: 2 });
      });

      it(`refuses, on its channel, a subscribe frame over the size limit and a subscription beyond ${CHANNEL_CAP} channels`, async () => {
        const url = new URL(node(0).url);
        const big = new Pusher(SHOP.key, {
          ...clientOptions(node(0).url, backend, "big"),
          wsHost: url.hostname,
          channelAuthorization: {
            customHandler: ({ socketId, channelName }, callback) => {
              const channelData = JSON.stringify({ user_id: "big", user_info: { padding: "x".repeat(12_000) } });
              callback(null, { auth: signChannelAuth(SHOP, socketId, channelName, channelData), channel_data: channelData });
            },
          },
        });
        clients.push(big);
        await expect(subscribed(big, "presence-big")).rejects.toMatchObject({ type: "LimitReached", status: 413 });

        const many = shop(1, "many");
        for (let i = 0; i < CHANNEL_CAP; i++) await subscribed(many, `cap-${i}`);
        const refusal = await subscribed(many, "cap-one-too-many").catch((error: unknown) => error);
        expect(refusal).toMatchObject({ type: "LimitReached", status: 403 });
        expect(String((refusal as { error: string }).error)).toContain(`at most ${CHANNEL_CAP} channels`);
      });
    });

    describe("webhooks", () => {
      /** The names of the occupancy and membership events about a channel, in arrival order. */
      const names = (channel: string) =>
        receiver
          .about(channel)
          .map((event) => event.name)
          .filter((name) => name.startsWith("channel_") || name.startsWith("member_"));

      it("signs every webhook with X-Pusher-Key and X-Pusher-Signature and batches events of one moment into one POST", async () => {
        const client = shop(0, "batcher");
        await Promise.all(["batch-a", "batch-b", "batch-c"].map((channel) => subscribed(client, channel)));
        const post = await eventually(() => receiver.received.find((r) => r.events.some((e) => e.channel === "batch-a")));
        const occupied = post.events.filter((e) => e.name === "channel_occupied" && e.channel.startsWith("batch-"));
        expect(occupied.map((e) => e.channel).sort()).toEqual(["batch-a", "batch-b", "batch-c"]);
        for (const received of receiver.received) {
          expect(received.valid).toBe(true);
          expect(received.headers["x-pusher-key"]).toBe(SHOP.key);
          expect(received.headers["content-type"]).toBe("application/json");
        }
        expect(Math.abs(post.timeMs - Date.now())).toBeLessThan(10_000);
      });

      it("sends channel_occupied once when subscribers join on every node, and channel_vacated once after the last leaves", async () => {
        const subscribers = [shop(0, "o1"), shop(1, "o2"), shop(2, "o3")];
        await Promise.all(subscribers.map((client) => subscribed(client, "private-occupancy")));
        await eventually(() => names("private-occupancy").includes("channel_occupied"));
        for (const client of subscribers.slice(0, 2)) client.disconnect();
        await sleep(LEAVE_DELAY_MS + 800);
        expect(names("private-occupancy")).toEqual(["channel_occupied"]);
        subscribers[2]!.disconnect();
        await eventually(() => names("private-occupancy").includes("channel_vacated"), { timeoutMs: 15_000 });
        await sleep(500);
        expect(names("private-occupancy")).toEqual(["channel_occupied", "channel_vacated"]);
      });

      it("sends member_added once per user, and member_removed only after the user's last connection on any node, without a flap when a page reloads", async () => {
        const tabOne = shop(0, "m1");
        const tabTwo = shop(1, "m1");
        await subscribed(tabOne, "presence-members");
        await subscribed(tabTwo, "presence-members");
        const memberEvents = () => receiver.about("presence-members").filter((e) => e.name === "member_added" || e.name === "member_removed");
        await eventually(() => memberEvents().length > 0);

        tabOne.disconnect();
        // The reload: the last tab closes and the page connects again, to another node.
        tabTwo.disconnect();
        await sleep(200);
        const reloaded = shop(2, "m1");
        await subscribed(reloaded, "presence-members");
        await sleep(LEAVE_DELAY_MS + 1_000);
        expect(memberEvents()).toEqual([{ name: "member_added", channel: "presence-members", user_id: "m1" }]);
        expect(names("presence-members").filter((name) => name.startsWith("channel_"))).toEqual(["channel_occupied"]);

        reloaded.disconnect();
        await eventually(() => memberEvents().length === 2, { timeoutMs: 15_000 });
        expect(memberEvents()).toEqual([
          { name: "member_added", channel: "presence-members", user_id: "m1" },
          { name: "member_removed", channel: "presence-members", user_id: "m1" },
        ]);
      });

      it("sends client_event with the event, its data as a string, the sender's socket and, on presence channels, its user", async () => {
        const sender = shop(0, "talker");
        const listener = shop(1, "listener");
        const senderRoom = await subscribed(sender, "presence-talk");
        await subscribed(listener, "presence-talk");
        senderRoom.channel.trigger("client-wave", { hand: "left" });
        const event = await eventually(() => receiver.about("presence-talk").find((e) => e.name === "client_event"));
        expect(event).toEqual({
          name: "client_event",
          channel: "presence-talk",
          event: "client-wave",
          data: JSON.stringify({ hand: "left" }),
          socket_id: sender.connection.socket_id,
          user_id: "talker",
        });
      });

      it("retries a webhook the receiver refused, with the same signed body, until it is taken", async () => {
        const occupied = '"name":"channel_occupied","channel":"retried"';
        receiver.failNext(occupied, 500, 503);
        await subscribed(shop(2, "retry"), "retried");
        const attempts = await eventually(
          () => {
            const posts = receiver.received.filter((r) => r.body.includes(occupied));
            return posts.some((r) => r.status === 200) && posts;
          },
          { timeoutMs: 30_000 },
        );
        expect(attempts.map((r) => r.status)).toEqual([500, 503, 200]);
        expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
        expect(attempts.every((r) => r.valid)).toBe(true);
        expect(names("retried")).toEqual(["channel_occupied"]);
      }, 45_000);

      it("sends subscription_count when the cluster-wide count changes", async () => {
        await subscribed(shop(0, "s1"), "sub-count");
        await subscribed(shop(2, "s2"), "sub-count");
        await eventually(() =>
          receiver.about("sub-count").some((e) => e.name === "subscription_count" && (e as { subscription_count: number }).subscription_count === 2),
        );
      });
    });

    describe("shutdown", () => {
      it("leaves no state in Redis once every node stopped gracefully, but rate-limit counters that expire", async () => {
        await cluster.stop();
        if (cluster.redisKeys === undefined || cluster.redisPrefix === undefined) return;
        const left = await cluster.redisKeys(cluster.redisPrefix);
        expect(left.filter((key) => !key.startsWith(`${cluster.redisPrefix}rate-limit:`))).toEqual([]);
      });
    });
  });
}

/** Subscribes and resolves on success (with the members on presence), rejects with the subscription error. */
function subscribed(client: PusherClient, name: string, timeoutMs = 10_000): Promise<{ channel: Channel; data: unknown }> {
  const channel = client.subscribe(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to the subscription to ${name} within ${timeoutMs} ms`)), timeoutMs);
    channel.bind("pusher:subscription_succeeded", (data: unknown) => {
      clearTimeout(timer);
      resolve({ channel, data });
    });
    channel.bind("pusher:subscription_error", (error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Records every event of a subscription, data decoded. */
function record({ channel }: { channel: Channel | PresenceChannel }): Array<{ event: string; data: unknown }> {
  const events: Array<{ event: string; data: unknown }> = [];
  channel.bind_global((event: string, data: unknown) => {
    if (!event.startsWith("pusher:")) events.push({ event, data });
  });
  return events;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
