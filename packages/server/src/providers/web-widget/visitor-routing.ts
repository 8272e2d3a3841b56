import { channels } from "@parley/protocol/api";
import type { DomainEvent } from "../../domain/events.ts";

/**
 * The website visitor's share of domain events (ARCHITECTURE.md, "Real-time contract",
 * `private-visitor.{conversationId}`): agent replies, status changes of the conversation's
 * messages (ticks both ways) and who is assigned. Never the customer's own new messages (the
 * widget shows them optimistically) nor workspace-wide events. Only the widget session of that
 * conversation can subscribe, so for other inboxes' conversations the channel has no subscriber
 * and the fan-out drops the event at no cost.
 */
export function visitorChannelsOf(event: DomainEvent): string[] {
  switch (event.type) {
    case "message.sent":
    case "message.status.updated":
      return [channels.visitor(event.message.conversationId)];
    case "conversation.assigned":
      return [channels.visitor(event.conversationId)];
    default:
      return [];
  }
}
