import { channels, clientTypingEvent, events, parseParleyChannel, type TypingEventPayload } from "@parley/protocol/api";
import type { Logger } from "pino";
import type { ConversationRepository } from "../domain/ports.ts";
import type { ChannelPublisher } from "./broadcaster.ts";
import type { ClientEventNotice } from "./types.ts";

/**
 * Carries typing across the agent/visitor boundary (ARCHITECTURE.md, "Typing"). Agents and the
 * visitor are never on the same channel, so a `client-typing` whisper on a conversation channel
 * is re-published as `typing` on the visitor's channel, and the visitor's whisper (or its HTTP
 * fallback) as `typing` on the conversation channel.
 */
export function typingRelay(dependencies: { publisher: ChannelPublisher; conversations: Pick<ConversationRepository, "workspaceOf">; logger: Logger }) {
  const { publisher, conversations, logger } = dependencies;

  async function visitorTyping(workspaceId: string, conversationId: string, isTyping: boolean): Promise<void> {
    const payload: TypingEventPayload = { conversation_id: conversationId, is_typing: isTyping, sender: { type: "contact", id: null }, timestamp: new Date().toISOString() };
    await publisher.publish([channels.conversation(workspaceId, conversationId)], events.typing, payload);
  }

  return {
    visitorTyping,

    /** Handles a relayed client event; ignores everything but `client-typing` on Parley's channels. */
    async onClientEvent(notice: ClientEventNotice): Promise<void> {
      if (notice.event !== clientTypingEvent) return;
      const channel = parseParleyChannel(notice.channel);
      const data = (typeof notice.data === "object" && notice.data !== null ? notice.data : {}) as { is_typing?: unknown; name?: unknown };
      const isTyping = data.is_typing !== false;
      try {
        if (channel?.kind === "visitor") {
          const workspaceId = await conversations.workspaceOf(channel.conversationId);
          if (workspaceId) await visitorTyping(workspaceId, channel.conversationId, isTyping);
        } else if (channel?.kind === "conversation") {
          const name = typeof data.name === "string" ? data.name.slice(0, 100) : null;
          const payload: TypingEventPayload = {
            conversation_id: channel.conversationId,
            is_typing: isTyping,
            sender: { type: "agent", id: notice.userId ?? null, name },
            timestamp: new Date().toISOString(),
          };
          await publisher.publish([channels.visitor(channel.conversationId)], events.typing, payload);
        }
      } catch (error) {
        logger.warn({ err: error, channel: notice.channel }, "typing relay failed");
      }
    },
  };
}
