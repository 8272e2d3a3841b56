import { channels, events, type TypingEventPayload } from "@parley/protocol/api";
import type { ChannelPublisher } from "../../broadcasting/broadcaster.ts";
import { maxBodyLength } from "../../domain/messages/message.ts";
import type { Provider, ProviderCapabilities } from "../../domain/providers/provider.ts";

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

/**
 * The website widget as a provider. The visitor's widget is subscribed to its conversation's
 * visitor channel, and an agent's reply reaches it as `message.sent` the moment it is committed
 * (visitor-routing.ts), so `send` has nothing left to carry: it confirms the message as `sent`.
 * Receipts come back from the widget itself (`delivered`, `read`), reading is shown through the
 * status events, and typing is published on the visitor channel.
 */
export function createWebWidgetProvider(dependencies: { publisher: ChannelPublisher }): Provider {
  return {
    kind: "web_widget",
    capabilities: () => capabilities,
    async send() {
      return { providerMessageId: null, status: "sent" };
    },
    // The widget learns of reads from `message.status.updated` on its channel (markRead's events).
    async markRead() {},
    async typing(_inbox, input) {
      const payload: TypingEventPayload = {
        conversation_id: input.recipient.conversationId,
        is_typing: input.isTyping,
        sender: { type: "agent", id: input.agent?.id ?? null, name: input.agent?.name ?? null },
        timestamp: new Date().toISOString(),
      };
      await dependencies.publisher.publish([channels.visitor(input.recipient.conversationId)], events.typing, payload);
    },
  };
}
