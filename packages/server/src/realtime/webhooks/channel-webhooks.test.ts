import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { classifyChannel } from "@parley/protocol";
import { eventually } from "../../../test/eventually.ts";
import { WebhookBatcher, type WebhookDelivery } from "./batcher.ts";
import { ChannelWebhooks } from "./channel-webhooks.ts";
import type { WebhookEvent } from "./events.ts";
import type { LedgerUnit, OccupancyLedger } from "./ledger.ts";

const logger = pino({ level: "silent" });
const LEAVE_DELAY_MS = 40;

/** Nodes sharing one in-memory ledger, as they share Redis. */
class SharedLedger {
  readonly holders = new Map<LedgerUnit, Set<string>>();

  forNode(node: string): OccupancyLedger {
    return {
      enter: async (unit) => {
        const holders = this.holders.get(unit) ?? new Set<string>();
        this.holders.set(unit, holders);
        const first = holders.size === 0;
        holders.add(node);
        return first;
      },
      leave: async (unit) => {
        const holders = this.holders.get(unit);
        if (holders === undefined || !holders.delete(node)) return false;
        if (holders.size > 0) return false;
        this.holders.delete(unit);
        return true;
      },
      close: async () => {},
    };
  }
}

const deliveries: WebhookDelivery[] = [];
const events = () => deliveries.flatMap((delivery) => (JSON.parse(delivery.body) as { events: WebhookEvent[] }).events);
const nodes: ChannelWebhooks[] = [];

function node(ledger: OccupancyLedger): ChannelWebhooks {
  const batcher = new WebhookBatcher({
    appId: "1",
    targets: [{ url: "http://127.0.0.1:9/", events: null }],
    enqueue: async (delivery) => void deliveries.push(delivery),
    logger,
    maxEvents: 1,
  });
  const webhooks = new ChannelWebhooks({ ledger, batcher, logger, leaveDelayMs: LEAVE_DELAY_MS });
  nodes.push(webhooks);
  return webhooks;
}

const channel = (name: string) => classifyChannel(name)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  deliveries.length = 0;
});

describe("ChannelWebhooks", () => {
  it("announces a channel occupied once across nodes and vacated only after its last subscriber anywhere, after the delay", async () => {
    const ledger = new SharedLedger();
    const [a, b] = [node(ledger.forNode("a")), node(ledger.forNode("b"))];
    a.subscribed(channel("room"), undefined);
    a.subscribed(channel("room"), undefined);
    b.subscribed(channel("room"), undefined);
    await eventually(() => events().length === 1);
    a.unsubscribed(channel("room"), undefined);
    a.unsubscribed(channel("room"), undefined);
    await sleep(LEAVE_DELAY_MS * 3);
    expect(events()).toEqual([{ name: "channel_occupied", channel: "room" }]);
    b.unsubscribed(channel("room"), undefined);
    expect(events()).toHaveLength(1);
    await eventually(() => events().length === 2);
    expect(events()[1]).toEqual({ name: "channel_vacated", channel: "room" });
  });

  it("sends nothing when the last subscriber comes back within the delay, on the same node or another", async () => {
    const ledger = new SharedLedger();
    const [a, b] = [node(ledger.forNode("a")), node(ledger.forNode("b"))];
    const member = { id: "u1" };
    a.subscribed(channel("presence-room"), member);
    await eventually(() => events().length === 2);
    a.unsubscribed(channel("presence-room"), member);
    a.subscribed(channel("presence-room"), member);
    a.unsubscribed(channel("presence-room"), member);
    b.subscribed(channel("presence-room"), member);
    await sleep(LEAVE_DELAY_MS * 3);
    expect(events()).toEqual([
      { name: "channel_occupied", channel: "presence-room" },
      { name: "member_added", channel: "presence-room", user_id: "u1" },
    ]);
    b.unsubscribed(channel("presence-room"), member);
    await eventually(() => events().length === 4);
    expect(
      events()
        .slice(2)
        .map((e) => e.name)
        .sort(),
    ).toEqual(["channel_vacated", "member_removed"]);
  });

  it("leaves every unit at close, announcing what nobody else holds, and ignores server-to-user channels", async () => {
    const ledger = new SharedLedger();
    const a = node(ledger.forNode("a"));
    a.subscribed(channel("#server-to-user-u1"), undefined);
    a.subscribed(channel("news"), undefined);
    await eventually(() => events().length === 1);
    a.unsubscribed(channel("news"), undefined);
    await a.close();
    expect(events()).toEqual([
      { name: "channel_occupied", channel: "news" },
      { name: "channel_vacated", channel: "news" },
    ]);
  });

  it("announces the units a dead node was the last to hold, and skips a transition the ledger could not record", async () => {
    const failing: OccupancyLedger = { enter: async () => Promise.reject(new Error("redis down")), leave: async () => false, close: async () => {} };
    const a = node(failing);
    a.subscribed(channel("lost"), undefined);
    a.swept(["c gone", "m presence-x u 2"]);
    await eventually(() => events().length === 2);
    expect(events()).toEqual([
      { name: "channel_vacated", channel: "gone" },
      { name: "member_removed", channel: "presence-x", user_id: "u 2" },
    ]);
  });
});

describe("WebhookBatcher", () => {
  it("sends the events of one window in one body per target, each target the events it asked for", async () => {
    const batcher = new WebhookBatcher({
      appId: "9",
      targets: [
        { url: "http://a.example/", events: null },
        { url: "http://b.example/", events: ["client_event"] },
        { url: "http://c.example/", events: ["member_added"] },
      ],
      enqueue: async (delivery) => void deliveries.push(delivery),
      logger,
      windowMs: 20,
      now: () => 1234,
    });
    batcher.add({ name: "channel_occupied", channel: "a" });
    batcher.add({ name: "client_event", channel: "private-a", event: "client-x", data: "{}", socket_id: "1.2" });
    expect(deliveries).toEqual([]);
    await eventually(() => deliveries.length === 2);
    expect(deliveries.map((d) => [d.appId, d.url, JSON.parse(d.body)])).toEqual([
      [
        "9",
        "http://a.example/",
        {
          time_ms: 1234,
          events: [
            { name: "channel_occupied", channel: "a" },
            { name: "client_event", channel: "private-a", event: "client-x", data: "{}", socket_id: "1.2" },
          ],
        },
      ],
      ["9", "http://b.example/", { time_ms: 1234, events: [{ name: "client_event", channel: "private-a", event: "client-x", data: "{}", socket_id: "1.2" }] }],
    ]);
  });

  it("tells which events some target wants", () => {
    const batcher = new WebhookBatcher({ appId: "9", targets: [{ url: "http://c.example/", events: ["member_added"] }], enqueue: async () => {}, logger });
    expect(batcher.wants("member_added")).toBe(true);
    expect(batcher.wants("member_removed")).toBe(false);
  });

  it("closes a batch at maxEvents, and logs rather than throws when a delivery cannot be queued", async () => {
    let calls = 0;
    const batcher = new WebhookBatcher({
      appId: "9",
      targets: [{ url: "http://a.example/", events: null }],
      enqueue: async () => {
        calls++;
        throw new Error("database down");
      },
      logger,
      windowMs: 10_000,
      maxEvents: 2,
    });
    batcher.add({ name: "channel_occupied", channel: "a" });
    batcher.add({ name: "channel_occupied", channel: "b" });
    expect(calls).toBe(1);
    await batcher.close();
  });
});
