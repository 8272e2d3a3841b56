import { channels, events, type MessageEventPayload, type TypingEventPayload } from "@parley/protocol/api";
import type { ChannelPublisher } from "../../broadcasting/broadcaster.ts";
import { maxBodyLength, type Message } from "../../domain/messages/message.ts";
import { ProviderError, type Provider, type ProviderCapabilities } from "../../domain/providers/provider.ts";
import { presentMessage } from "../../presenters.ts";

/** Largest attachment an agent sends to a website visitor, in bytes (the browser downloads it over HTTP). */
export const widgetMaxAttachmentBytes = 25 * 1024 * 1024;

const capabilities: ProviderCapabilities = {
  maxBodyLength,
  media: {
    image: { maxBytes: widgetMaxAttachmentBytes, mimeTypes: [] },
    video: { maxBytes: widgetMaxAttachmentBytes, mimeTypes: [] },
    audio: { maxBytes: widgetMaxAttachmentBytes, mimeTypes: [] },
    voice: { maxBytes: widgetMaxAttachmentBytes, mimeTypes: [] },
    document: { maxBytes: widgetMaxAttachmentBytes, mimeTypes: [] },
  },
  templates: false,
  reactions: false,
  customerServiceWindowMs: null,
};

/** Reads the stored message a send job delivers (the widget shows it as stored: sender, quote, attachment URL). */
export type StoredMessageReader = (workspaceId: string, messageId: string) => Promise<Message | null>;

/**
 * The website widget as a provider. Its far side is the visitor's channel,
 * `private-visitor.{conversationId}`, which only that conversation's widget session can join:
 * `send` publishes the agent's message there as `message.sent` (status `sent`), the visitor's
 * widget acknowledges `delivered` and `read` over HTTP, reading is shown through the status
 * events of visitor-routing.ts, and typing is published on the same channel. There is no
 * provider message id. A message that is gone, or that belongs to another conversation than the
 * recipient's, is refused for good.
 */
export function createWebWidgetProvider(dependencies: { publisher: ChannelPublisher; messages: StoredMessageReader; clock?: () => Date }): Provider {
  const now = dependencies.clock ?? (() => new Date());
  return {
    kind: "web_widget",
    capabilities: () => capabilities,
    async send(inbox, outbound) {
      const message = outbound.stored?.id === outbound.messageId ? outbound.stored : await dependencies.messages(inbox.workspaceId, outbound.messageId);
      if (!message || message.conversationId !== outbound.recipient.conversationId) {
        throw new ProviderError({ retry: "never", reason: "The visitor's conversation no longer has this message." });
      }
      const sentAt = now();
      const payload: MessageEventPayload = {
        message: { ...presentMessage(message), status: "sent", sent_at: (message.sentAt ?? sentAt).toISOString() },
        timestamp: sentAt.toISOString(),
      };
      await dependencies.publisher.publish([channels.visitor(message.conversationId)], events.messageSent, payload);
      return { providerMessageId: null, status: "sent" };
    },
    // The widget learns of reads from `message.status.updated` on its channel (visitor-routing.ts).
    async markRead() {},
    async typing(_inbox, input) {
      const payload: TypingEventPayload = {
        conversation_id: input.recipient.conversationId,
        is_typing: input.isTyping,
        sender: { type: "agent", id: input.agent?.id ?? null, name: input.agent?.name ?? null },
        timestamp: now().toISOString(),
      };
      await dependencies.publisher.publish([channels.visitor(input.recipient.conversationId)], events.typing, payload);
    },
  };
}
