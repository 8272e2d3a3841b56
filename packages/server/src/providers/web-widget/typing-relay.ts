import { channels, clientTypingEvent, events, parseParleyChannel, type TypingEventPayload } from "@parley/protocol/api";
import type { Logger } from "pino";
import type { ChannelPublisher } from "../../broadcasting/broadcaster.ts";
import type { ConversationRepository } from "../../domain/ports.ts";
import type { ClientEventNotice } from "../../realtime/types.ts";

/** Shows an agent's typing to the customer, through whatever provider the conversation's inbox has. */
export type AgentTypingSink = (input: {
  workspaceId: string;
  conversationId: string;
  isTyping: boolean;
  agent: { id: string | null; name: string | null };
}) => Promise<void>;

/**
 * Carries typing across the agent/customer boundary (ARCHITECTURE.md, "Typing"). Agents whisper
 * `client-typing` on the conversation channel; that goes to the conversation's provider (the
 * widget shows it, the Cloud API shows its typing indicator). The website visitor's whisper on
 * its own channel (or its HTTP fallback) is re-published as `typing` on the conversation channel,
 * since agents and visitors never share a channel.
 */
export function typingRelay(dependencies: {
  publisher: ChannelPublisher;
  conversations: Pick<ConversationRepository, "workspaceOf">;
  agentTyping: AgentTypingSink;
  logger: Logger;
}) {
  const { publisher, conversations, agentTyping, logger } = dependencies;

  async function visitorTyping(workspaceId: string, conversationId: string, isTyping: boolean): Promise<void> {
    const payload: TypingEventPayload = {
      conversation_id: conversationId,
      is_typing: isTyping,
      sender: { type: "contact", id: null },
      timestamp: new Date().toISOString(),
    };
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
          await agentTyping({ workspaceId: channel.workspaceId, conversationId: channel.conversationId, isTyping, agent: { id: notice.userId ?? null, name } });
        }
      } catch (error) {
        logger.warn({ err: error, channel: notice.channel }, "typing relay failed");
      }
    },
  };
}
