/**
 * Turns one app's subscriptions on this node into Pusher webhook events, correct across nodes:
 *
 * - counts local subscribers per unit (a channel; a user in a presence channel) and tells the
 *   {@link OccupancyLedger} only this node's first and last, so `channel_occupied` /
 *   `member_added` go out once for the cluster, from the node that made the unit occupied;
 * - holds a unit for `leaveDelayMs` after its last local subscriber left before leaving the
 *   ledger (webhooks.md § Webhook request delay: "If the client reconnects within this delay, no
 *   webhooks will be sent"). A reload on the same node comes back within the delay and nothing is
 *   sent; a reload that lands on another node enters there while this node still holds the unit,
 *   so it is not first, and this node's late leave is not last: nothing is sent either.
 */
import type { Logger } from "pino";
import type { ChannelDescriptor, PresenceMember } from "@parley/protocol";
import type { ClientEventNotice, SubscriptionObserver } from "../types.ts";
import type { WebhookBatcher } from "./batcher.ts";
import type { WebhookEvent } from "./events.ts";
import { channelUnit, type LedgerUnit, memberUnit, type OccupancyLedger, parseUnit } from "./ledger.ts";

/** Options of {@link ChannelWebhooks}. */
export interface ChannelWebhooksOptions {
  ledger: OccupancyLedger;
  batcher: WebhookBatcher;
  logger: Logger;
  /** How long a unit is held after its last local subscriber left, in ms. Default 3000 (Pusher's delay). */
  leaveDelayMs?: number;
}

interface LocalUnit {
  subscribers: number;
  /** Set while the unit waits to leave the ledger. */
  leaving?: NodeJS.Timeout;
}

/** Webhook events of one app on this node; see the module comment. */
export class ChannelWebhooks implements SubscriptionObserver {
  private readonly units = new Map<LedgerUnit, LocalUnit>();
  private readonly leaveDelayMs: number;
  private readonly trackChannels: boolean;
  private readonly trackMembers: boolean;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: ChannelWebhooksOptions) {
    this.leaveDelayMs = options.leaveDelayMs ?? 3_000;
    const { batcher } = options;
    this.trackChannels = batcher.wants("channel_occupied") || batcher.wants("channel_vacated");
    this.trackMembers = batcher.wants("member_added") || batcher.wants("member_removed");
  }

  subscribed(channel: ChannelDescriptor, member: PresenceMember | undefined): void {
    if (channel.kind === "server-to-user") return;
    if (this.trackChannels) this.arrive(channelUnit(channel.name));
    if (member !== undefined && this.trackMembers) this.arrive(memberUnit(channel.name, member.id));
  }

  unsubscribed(channel: ChannelDescriptor, member: PresenceMember | undefined): void {
    if (channel.kind === "server-to-user") return;
    if (this.trackChannels) this.depart(channelUnit(channel.name));
    if (member !== undefined && this.trackMembers) this.depart(memberUnit(channel.name, member.id));
  }

  /** A client event this node relayed (`client_event`). */
  clientEvent(notice: ClientEventNotice): void {
    const data = typeof notice.data === "string" ? notice.data : JSON.stringify(notice.data ?? {});
    this.options.batcher.add({
      name: "client_event",
      channel: notice.channel,
      event: notice.event,
      data,
      socket_id: notice.socketId,
      ...(notice.userId === undefined ? {} : { user_id: notice.userId }),
    });
  }

  /** The cluster-wide subscription count of a channel changed (`subscription_count`). */
  subscriptionCount(channel: string, count: number): void {
    this.options.batcher.add({ name: "subscription_count", channel, subscription_count: count });
  }

  /** Units the ledger found vacated by a dead node. */
  swept(units: readonly LedgerUnit[]): void {
    for (const unit of units) this.announce(unit, "left");
  }

  /** Units this node entered again, first, after it had been swept. */
  restored(units: readonly LedgerUnit[]): void {
    for (const unit of units) this.announce(unit, "entered");
  }

  /**
   * Leaves every held unit now (the node is stopping: its sockets are gone), announcing the
   * units nobody else holds, then closes the ledger. Call after the real-time server closed.
   */
  async close(): Promise<void> {
    for (const [unit, local] of this.units) {
      clearTimeout(local.leaving);
      this.units.delete(unit);
      this.leaveLedger(unit);
    }
    await Promise.all(this.pending);
    await this.options.ledger.close();
  }

  private arrive(unit: LedgerUnit): void {
    const local = this.units.get(unit);
    if (local !== undefined) {
      local.subscribers++;
      if (local.leaving !== undefined) {
        // Back within the delay: this node never left the ledger, so nothing is announced.
        clearTimeout(local.leaving);
        delete local.leaving;
      }
      return;
    }
    this.units.set(unit, { subscribers: 1 });
    this.track(this.options.ledger.enter(unit), unit, "entered");
  }

  private depart(unit: LedgerUnit): void {
    const local = this.units.get(unit);
    if (local === undefined || local.subscribers === 0) return;
    if (--local.subscribers > 0) return;
    local.leaving = setTimeout(() => {
      if (this.units.get(unit) !== local || local.subscribers > 0) return;
      this.units.delete(unit);
      this.leaveLedger(unit);
    }, this.leaveDelayMs);
    local.leaving.unref();
  }

  private leaveLedger(unit: LedgerUnit): void {
    this.track(this.options.ledger.leave(unit), unit, "left");
  }

  private track(transition: Promise<boolean>, unit: LedgerUnit, direction: "entered" | "left"): void {
    const done = transition.then(
      (crossed) => {
        if (crossed) this.announce(unit, direction);
      },
      (error: unknown) => this.options.logger.warn({ err: error, unit, direction }, "webhook occupancy not recorded; its webhook is skipped"),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private announce(unit: LedgerUnit, direction: "entered" | "left"): void {
    const parsed = parseUnit(unit);
    if (parsed === null) return;
    let event: WebhookEvent;
    if (parsed.kind === "channel") event = { name: direction === "entered" ? "channel_occupied" : "channel_vacated", channel: parsed.channel };
    else event = { name: direction === "entered" ? "member_added" : "member_removed", channel: parsed.channel, user_id: parsed.userId };
    this.options.batcher.add(event);
  }
}
