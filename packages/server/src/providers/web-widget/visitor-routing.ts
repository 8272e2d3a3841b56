import { channels } from "@parley/protocol/api";
import type { DomainEvent } from "../../domain/events.ts";

/**
 * The website visitor's share of domain events (ARCHITECTURE.md, "Real-time contract",
 * `private-visitor.{conversationId}`): status changes of the conversation's messages (ticks both
 * ways) and who is assigned. Agent replies reach the visitor when their send job hands them to
 * the widget provider (provider.ts), not here; the customer's own new messages are shown by the
 * widget optimistically; workspace-wide events never go there. Only the widget session of that
 * conversation can subscribe, so for other inboxes' conversations the channel has no subscriber
 * and the fan-out drops the event at no cost.
 */
export function visitorChannelsOf(event: DomainEvent): string[] {
  switch (event.type) {
    case "message.status.updated":
      return [channels.visitor(event.message.conversationId)];
    case "conversation.assigned":
      return [channels.visitor(event.conversationId)];
    default:
      return [];
  }
}
