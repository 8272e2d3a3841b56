/** Protocol completeness: user authentication, server-to-user events, terminate, watchlists, subscription counts, limits. */
import { describe, expect, it } from "vitest";
import { signChannelAuth } from "@parley/protocol/signing";
import { eventually } from "../eventually.ts";
import { clientOptions, Pusher, serverSdk } from "../pusher-apps.ts";
import { type ConformanceContext, subscribed, record, CHANNEL_CAP } from "./context.ts";

export function protocolScenarios(ctx: ConformanceContext): void {
  const { node, shopServer, shop, clients } = ctx;
  describe("protocol", () => {
    it("signs users in, delivers server-to-user events on every node, refuses a bad signature with 4009 and terminates a user's connections everywhere", async () => {
      const tabs = [shop(0, "u7"), shop(2, "u7")];
      const notices = tabs.map((tab) => new Promise<unknown>((resolve) => tab.user.bind("notice", resolve)));
      const signedIn = tabs.map((tab) => new Promise<unknown>((resolve) => tab.bind("pusher:signin_success", resolve)));
      for (const tab of tabs) tab.signin();
      await Promise.all(signedIn);
      await eventually(async () => (await shopServer(1).channel("#server-to-user-u7")).subscriptionCount === 2);
      await serverSdk(ctx.shopApp, node(1).url).sendToUser("u7", "notice", { n: 1 });
      expect(await Promise.all(notices)).toEqual([{ n: 1 }, { n: 1 }]);

      const url = new URL(node(1).url);
      const forger = new Pusher(ctx.shopApp.key, {
        cluster: "",
        wsHost: url.hostname,
        wsPort: Number(url.port),
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
        userAuthentication: {
          transport: "ajax",
          endpoint: "",
          customHandler: (_params, callback) => callback(null, { auth: `${ctx.shopApp.key}:forged`, user_data: '{"id":"u7"}' }),
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
      await serverSdk(ctx.shopApp, node(1).url).terminateUserConnections("u7");
      await Promise.all(gone);
      expect(forger.connection.state).toBe("connected");
    });

    it("tells a signed-in user when users on their watchlist come online and go offline, whichever node they use", async () => {
      ctx.backend.watch("w1", ["w2", "w3"]);
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
      await serverSdk(ctx.shopApp, node(1).url).trigger("presence-counted", "marker", {});
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

      await serverSdk(ctx.shopApp, node(2).url).trigger("presence-api", "note", { n: 1 }, { socket_id: socketA });
      await serverSdk(ctx.shopApp, node(2).url).triggerBatch([
        { channel: "presence-api", name: "batched", data: { n: 2 } },
        { channel: "presence-api", name: "batched", data: { n: 3 } },
      ]);
      await eventually(() => bEvents.filter((e) => e.event === "batched").length === 2 && aEvents.filter((e) => e.event === "batched").length === 2);
      expect(bEvents.filter((e) => e.event === "note").map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(aEvents.some((e) => e.event === "note")).toBe(false);

      const sdk = serverSdk(ctx.shopApp, node(2).url);
      const info = await (await sdk.get({ path: "/channels/presence-api", params: { info: "user_count,subscription_count" } })).json();
      expect(info).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
      const users = await (await sdk.get({ path: "/channels/presence-api/users" })).json();
      expect(users.users.map((u: { id: string }) => u.id).sort()).toEqual(["ha", "hb"]);
      const listed = await (await sdk.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } })).json();
      expect(listed.channels["presence-api"]).toEqual({ user_count: 2 });
    });

    it(`refuses, on its channel, a subscribe frame over the size limit and a subscription beyond ${CHANNEL_CAP} channels`, async () => {
      const url = new URL(node(0).url);
      const big = new Pusher(ctx.shopApp.key, {
        ...clientOptions(node(0).url, ctx.backend, "big"),
        wsHost: url.hostname,
        channelAuthorization: {
          customHandler: ({ socketId, channelName }, callback) => {
            const channelData = JSON.stringify({ user_id: "big", user_info: { padding: "x".repeat(12_000) } });
            callback(null, { auth: signChannelAuth(ctx.shopApp, socketId, channelName, channelData), channel_data: channelData });
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
}
