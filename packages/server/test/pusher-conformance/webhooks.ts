/** Pusher webhooks: batching, signatures, occupied/vacated and members once for the cluster, client events, retries. */
import { describe, expect, it } from "vitest";
import { eventually } from "../eventually.ts";
import { type ConformanceContext, subscribed, sleep, LEAVE_DELAY_MS } from "./context.ts";

export function webhookScenarios(ctx: ConformanceContext): void {
  const { shop } = ctx;
  describe("webhooks", () => {
    /** The names of the occupancy and membership events about a channel, in arrival order. */
    const names = (channel: string) =>
      ctx.receiver
        .about(channel)
        .map((event) => event.name)
        .filter((name) => name.startsWith("channel_") || name.startsWith("member_"));

    it("signs every webhook with X-Pusher-Key and X-Pusher-Signature and batches events of one moment into fewer POSTs than events", async () => {
      const client = shop(0, "batcher");
      await Promise.all(["batch-a", "batch-b", "batch-c"].map((channel) => subscribed(client, channel)));
      const isBatchOccupied = (e: { name: string; channel: string }) => e.name === "channel_occupied" && e.channel.startsWith("batch-");
      const carrying = () => ctx.receiver.received.filter((r) => r.events.some(isBatchOccupied));
      const occupied = () => carrying().flatMap((r) => r.events.filter(isBatchOccupied).map((e) => e.channel));
      await eventually(() => occupied().length >= 3);
      expect(occupied().sort()).toEqual(["batch-a", "batch-b", "batch-c"]);
      // Batched: three subscriptions sent together reach the backend in fewer POSTs than events.
      // Not necessarily one: a loaded machine may spread them over the 250 ms batch window's edge.
      expect(carrying().length).toBeLessThan(3);
      const post = carrying()[0]!;
      for (const received of ctx.receiver.received) {
        expect(received.valid).toBe(true);
        expect(received.headers["x-pusher-key"]).toBe(ctx.shopApp.key);
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
      const memberEvents = () => ctx.receiver.about("presence-members").filter((e) => e.name === "member_added" || e.name === "member_removed");
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
      const event = await eventually(() => ctx.receiver.about("presence-talk").find((e) => e.name === "client_event"));
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
      ctx.receiver.failNext(occupied, 500, 503);
      await subscribed(shop(2, "retry"), "retried");
      const attempts = await eventually(
        () => {
          const posts = ctx.receiver.received.filter((r) => r.body.includes(occupied));
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
        ctx.receiver.about("sub-count").some((e) => e.name === "subscription_count" && (e as { subscription_count: number }).subscription_count === 2),
      );
    });
  });
}
