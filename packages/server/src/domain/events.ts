import type { CampaignCounts, CampaignStatus } from "./campaigns/campaign.ts";
import type { Contact } from "./contacts/contact.ts";
import type { ConversationSummary } from "./conversations/conversation.ts";
import type { Inbox, InboxQr, InboxSync } from "./inboxes/inbox.ts";
import type { Message } from "./messages/message.ts";
import type { Enrichment } from "./intelligence/enrichment.ts";

/**
 * What happened, for the real-time layer to broadcast after the transaction that caused it has
 * committed. The broadcaster (realtime/broadcaster.ts) maps each to channels and payloads
 * (ARCHITECTURE.md, "Real-time contract").
 */
export type DomainEvent =
  | { type: "message.received"; workspaceId: string; message: Message }
  | { type: "message.sent"; workspaceId: string; message: Message }
  | { type: "message.status.updated"; workspaceId: string; message: Message }
  | { type: "message.updated"; workspaceId: string; message: Message }
  /** A customer's message was enriched (or its enrichment corrected): workspace channel only. */
  | { type: "message.enriched"; workspaceId: string; messageId: string; conversationId: string; enrichment: Enrichment }
  | { type: "conversation.created"; workspaceId: string; conversation: ConversationSummary }
  | { type: "conversation.updated"; workspaceId: string; conversation: ConversationSummary }
  | { type: "conversation.assigned"; workspaceId: string; conversationId: string; assignee: { id: string; name: string } | null }
  | { type: "inbox.status"; workspaceId: string; inbox: Inbox }
  | { type: "inbox.qr"; workspaceId: string; inboxId: string; qr: InboxQr }
  | { type: "sync.progress"; workspaceId: string; inboxId: string; sync: InboxSync }
  /**
   * A campaign's recipients or status changed (a send, an ack, a reply). Not broadcast as such:
   * the campaign progress publisher (broadcasting/campaign-progress.ts) turns a burst of them into
   * at most a few `campaign.progress` a second.
   */
  | { type: "campaign.changed"; workspaceId: string; campaignId: string }
  /** A campaign's status and counts now, on the workspace channel. */
  | {
      type: "campaign.progress";
      workspaceId: string;
      campaignId: string;
      status: CampaignStatus;
      counts: CampaignCounts;
      waiting: { until: Date; reason: string } | null;
    }
  /** A contact was edited, or opted out of (or back into) campaigns: workspace channel. */
  | { type: "contact.updated"; workspaceId: string; contact: Contact };

/** Delivers domain events to subscribers; at-most-once, never throws (failures are logged). */
export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
