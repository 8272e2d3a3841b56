/** Hosted apps beside Parley's own: isolation both ways, quotas, disabled apps, signatures. */
import { describe, expect, it } from "vitest";
import { signChannelAuth } from "@parley/protocol/signing";
import { eventually } from "../eventually.ts";
import { connectedOrRefused, Pusher, serverSdk } from "../pusher-apps.ts";
import { type ConformanceContext, conformanceApps, subscribed, record } from "./context.ts";

export function appScenarios(ctx: ConformanceContext): void {
  const { node, shop, own, ownSdk, clients } = ctx;
  describe("apps", () => {
    it("keeps the hosted app and Parley's own app apart both ways: events, channel lists, signatures", async () => {
      const shopNews = await subscribed(shop(1, "iso"), "news");
      const ownNews = await subscribed(own(2), "news");
      await subscribed(shop(0, "iso"), "shop-only");
      await subscribed(own(0), "own-only");
      const shopEvents = record(shopNews);
      const ownEvents = record(ownNews);

      await serverSdk(ctx.shopApp, node(0).url).trigger("news", "from-shop", { n: 1 });
      await ownSdk(1).trigger("news", "from-parley", { n: 2 });
      await eventually(() => shopEvents.some((e) => e.event === "from-shop") && ownEvents.some((e) => e.event === "from-parley"));
      // A second round trip on each side: anything crossing over would have arrived by now.
      await serverSdk(ctx.shopApp, node(2).url).trigger("news", "shop-marker", {});
      await ownSdk(2).trigger("news", "parley-marker", {});
      await eventually(() => shopEvents.some((e) => e.event === "shop-marker") && ownEvents.some((e) => e.event === "parley-marker"));
      expect(shopEvents.map((e) => e.event)).toEqual(["from-shop", "shop-marker"]);
      expect(ownEvents.map((e) => e.event)).toEqual(["from-parley", "parley-marker"]);

      const shopChannels = Object.keys((await (await serverSdk(ctx.shopApp, node(1).url).get({ path: "/channels" })).json()).channels);
      const ownChannels = Object.keys((await (await ownSdk(2).get({ path: "/channels" })).json()).channels);
      expect(shopChannels).toContain("shop-only");
      expect(shopChannels).not.toContain("own-only");
      expect(ownChannels).toContain("own-only");
      expect(ownChannels).not.toContain("shop-only");

      // Each app's HTTP API takes its own signature only.
      const crossed = serverSdk({ ...ctx.shopApp, id: node(0).realtimeApp.id }, node(0).url);
      await expect(crossed.trigger("news", "sneaky", {})).rejects.toMatchObject({ status: 401 });
      const crossedBack = serverSdk({ ...node(0).realtimeApp, id: ctx.shopApp.id }, node(0).url);
      await expect(crossedBack.trigger("news", "sneaky", {})).rejects.toMatchObject({ status: 401 });

      // A private channel of the hosted app refuses a signature made with Parley's own secret.
      const url = new URL(node(1).url);
      const forged = new Pusher(ctx.shopApp.key, {
        cluster: "",
        wsHost: url.hostname,
        wsPort: Number(url.port),
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
        channelAuthorization: {
          customHandler: ({ socketId, channelName }, callback) =>
            callback(null, { auth: signChannelAuth({ key: ctx.shopApp.key, secret: node(1).realtimeApp.secret }, socketId, channelName) }),
        },
      });
      clients.push(forged);
      await expect(subscribed(forged, "private-orders")).rejects.toMatchObject({ type: "AuthError", status: 401 });

      if (ctx.cluster.redisKeys !== undefined && ctx.cluster.redisPrefix !== undefined) {
        const members = await subscribed(shop(0, "iso-member"), "presence-iso");
        expect(members.channel.name).toBe("presence-iso");
        const hosted = await ctx.cluster.redisKeys(`${ctx.cluster.redisPrefix}apps:${ctx.shopApp.id}:`);
        const ownPresence = await ctx.cluster.redisKeys(`${ctx.cluster.redisPrefix}presence:`);
        expect(hosted).toContain(`${ctx.cluster.redisPrefix}apps:${ctx.shopApp.id}:presence:presence-iso:members`);
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
      expect(await connectedOrRefused(client(ctx.quotaApp.key, 0))).toHaveProperty("socketId");
      expect(await connectedOrRefused(client(ctx.quotaApp.key, 1))).toHaveProperty("socketId");
      // Other nodes' counts arrive within one exchange interval: probe until the quota holds.
      await eventually(async () => {
        const probe = client(ctx.quotaApp.key, 2);
        const outcome = await connectedOrRefused(probe);
        probe.disconnect();
        return "code" in outcome && outcome.code === 4004;
      });
      // The disabled app's HTTP API answers 403.
      await expect(serverSdk(conformanceApps("")[2]!, node(0).url).trigger("news", "e", {})).rejects.toMatchObject({ status: 403 });
    });
  });
}
