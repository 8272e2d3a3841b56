import {
  channels,
  type CampaignProgressEventPayload,
  type ContactUpdatedEventPayload,
  type ConversationAssignedEventPayload,
  type InboxQrEventPayload,
  type InboxStatusEventPayload,
  type MessageEnrichedEventPayload,
  type MessageStatusEventPayload,
  type SyncProgressEventPayload,
} from "@parley/protocol/api";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { DomainEvent, EventPublisher } from "../domain/events.ts";
import { presentContactDetail, presentConversation, presentEnrichment, presentMessage } from "../presenters.ts";
import { visitorChannelsOf } from "../providers/web-widget/visitor-routing.ts";

/** Whatever can put one event on channels: the RealtimeServer, or a test double. */
export interface ChannelPublisher {
  publish(channelNames: string[], event: string, data: unknown): Promise<void>;
}

/** Options of {@link realtimeBroadcaster}. */
export interface BroadcasterOptions {
  /**
   * Most broadcasts handed to the publisher and not yet settled (waiting for Redis); past it new
   * ones are dropped, counted and logged. Default 10,000 (a few MB of payloads).
   */
  maxPending?: number;
  /** Registers `parley_broadcasts_pending` and `parley_broadcasts_dropped_total` here. */
  registry?: Registry;
}

/** How often a run of dropped broadcasts is logged at most, in ms. */
const dropLogEveryMs = 10_000;

/**
 * Maps domain events to Parley's channels and payloads (ARCHITECTURE.md, "Real-time contract"):
 * message events go to the workspace and conversation channels, conversation changes to the
 * workspace channel, and the website widget's visitor gets its share (visitor-routing.ts).
 *
 * Delivery is at-most-once and never holds the caller: each event is handed to the publisher
 * in order (this node's sockets get it at once) and not waited for, so a stalled or lost Redis
 * costs real-time delivery on other nodes (clients catch up from the API) and not the HTTP
 * response of the send that committed it. Failures are logged, never thrown; at most
 * `maxPending` broadcasts wait at once, the rest are dropped.
 */
export function realtimeBroadcaster(publisher: ChannelPublisher, logger: Logger, options: BroadcasterOptions = {}): EventPublisher {
  const maxPending = options.maxPending ?? 10_000;
  const registers = options.registry ? [options.registry] : [];
  let pending = 0;
  new Gauge({
    name: "parley_broadcasts_pending",
    help: "Broadcasts handed to the fan-out and not yet settled (waiting for Redis to take them).",
    registers,
    collect() {
      this.set(pending);
    },
  });
  const dropped = new Counter({ name: "parley_broadcasts_dropped_total", help: "Broadcasts dropped because too many were pending.", registers });
  let droppedSinceLog = 0;
  let lastDropLog = 0;
  const drop = (event: DomainEvent) => {
    dropped.inc();
    droppedSinceLog++;
    if (Date.now() - lastDropLog < dropLogEveryMs) return;
    logger.error({ dropped: droppedSinceLog, pending, event: event.type }, "broadcasts dropped: the fan-out is not taking them (Redis stalled?)");
    droppedSinceLog = 0;
    lastDropLog = Date.now();
  };
  return {
    async publish(domainEvents) {
      for (const event of domainEvents) {
        if (pending >= maxPending) {
          drop(event);
          continue;
        }
        pending++;
        const settled = () => pending--;
        try {
          const { channelNames, data } = route(event);
          if (channelNames.length === 0) {
            settled();
            continue;
          }
          publisher.publish(channelNames, event.type, data).then(settled, (error: unknown) => {
            settled();
            logger.error({ err: error, event: event.type }, "broadcast failed");
          });
        } catch (error) {
          settled();
          logger.error({ err: error, event: event.type }, "broadcast failed");
        }
      }
    },
  };
}

function route(event: DomainEvent): { channelNames: string[]; data: unknown } {
  const timestamp = new Date().toISOString();
  switch (event.type) {
    case "message.received":
    case "message.sent":
    case "message.updated":
    case "message.status.updated": {
      const { message } = event;
      // A campaign's messages reach whoever has that chat open, not every agent's list (issue 10:
      // agents answering live chats during a campaign notice nothing).
      const channelNames = [
        ...(message.campaignId === null ? [channels.workspace(event.workspaceId)] : []),
        channels.conversation(event.workspaceId, message.conversationId),
        ...visitorChannelsOf(event),
      ];
      if (event.type !== "message.status.updated") return { channelNames, data: { message: presentMessage(message), timestamp } };
      const data: MessageStatusEventPayload = {
        message_id: message.id,
        conversation_id: message.conversationId,
        client_message_id: message.clientMessageId,
        provider_message_id: message.providerMessageId,
        status: message.status,
        failed_reason: message.failedReason,
        timestamp,
      };
      return { channelNames, data };
    }
    case "message.enriched": {
      const data: MessageEnrichedEventPayload = {
        message_id: event.messageId,
        conversation_id: event.conversationId,
        enrichment: presentEnrichment(event.enrichment),
      };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
    case "conversation.assigned": {
      const data: ConversationAssignedEventPayload = { conversation_id: event.conversationId, assignee: event.assignee, timestamp };
      return { channelNames: visitorChannelsOf(event), data };
    }
    case "conversation.created":
    case "conversation.updated":
      return { channelNames: [channels.workspace(event.workspaceId)], data: { conversation: presentConversation(event.conversation), timestamp } };
    case "inbox.status": {
      const data: InboxStatusEventPayload = { inbox_id: event.inbox.id, status: event.inbox.status, reason: event.inbox.statusReason, timestamp };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
    case "sync.progress": {
      const data: SyncProgressEventPayload = { inbox_id: event.inboxId, ...event.sync };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
    case "campaign.changed":
      return { channelNames: [], data: null };
    case "campaign.progress": {
      const data: CampaignProgressEventPayload = {
        campaign_id: event.campaignId,
        status: event.status,
        counts: event.counts,
        waiting_until: event.waiting?.until.toISOString() ?? null,
        waiting_reason: event.waiting?.reason ?? null,
      };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
    case "contact.updated": {
      const data: ContactUpdatedEventPayload = { contact: presentContactDetail(event.contact), timestamp };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
    case "inbox.qr": {
      const data: InboxQrEventPayload = {
        inbox_id: event.inboxId,
        code: event.qr.code,
        image_data_url: event.qr.imageDataUrl,
        expires_at: event.qr.expiresAt.toISOString(),
      };
      return { channelNames: [channels.workspace(event.workspaceId)], data };
    }
  }
}
