import {
  channels,
  type ConversationAssignedEventPayload,
  type InboxQrEventPayload,
  type InboxStatusEventPayload,
  type MessageStatusEventPayload,
  type SyncProgressEventPayload,
} from "@parley/protocol/api";
import type { Logger } from "pino";
import type { DomainEvent, EventPublisher } from "../domain/events.ts";
import { presentConversation, presentMessage } from "../presenters.ts";
import { visitorChannelsOf } from "../providers/web-widget/visitor-routing.ts";

/** Whatever can put one event on channels: the RealtimeServer, or a test double. */
export interface ChannelPublisher {
  publish(channelNames: string[], event: string, data: unknown): Promise<void>;
}

/**
 * Maps domain events to Parley's channels and payloads (ARCHITECTURE.md, "Real-time contract"):
 * message events go to the workspace and conversation channels, conversation changes to the
 * workspace channel, and the website widget's visitor gets its share (visitor-routing.ts).
 * Delivery is at-most-once: a failed publish is logged, never thrown into the request.
 */
export function realtimeBroadcaster(publisher: ChannelPublisher, logger: Logger): EventPublisher {
  return {
    async publish(domainEvents) {
      for (const event of domainEvents) {
        const { channelNames, data } = route(event);
        try {
          await publisher.publish(channelNames, event.type, data);
        } catch (error) {
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
      const channelNames = [
        channels.workspace(event.workspaceId),
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
