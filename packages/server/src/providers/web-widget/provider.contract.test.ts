import type { MessageEventPayload } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import type { Message } from "../../domain/messages/message.ts";
import type { OutboundMessage, Provider, ProviderInbox, ProviderRecipient } from "../../domain/providers/provider.ts";
import { type DeliveredContent, runProviderContract } from "../provider.contract.ts";
import { createWebWidgetProvider } from "./provider.ts";

const inbox: ProviderInbox = { id: "inbox-1", workspaceId: "workspace-1", provider: "web_widget", config: {} };
const recipient = (conversationId: string): ProviderRecipient => ({ conversationId, contactId: "contact-1", phone: null, groupJid: null });

/** The message as the database holds it when its send job runs (stored first, then sent). */
function storedMessage(outbound: OutboundMessage, conversationId: string): Message {
  const { content } = outbound;
  const createdAt = new Date("2026-01-01T10:00:00Z");
  return {
    id: outbound.messageId,
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    conversationId,
    direction: "outbound",
    campaignId: null,
    type: content.kind === "media" ? content.type : "text",
    body: content.kind === "text" ? content.body : content.kind === "media" ? content.caption : null,
    mediaId: content.kind === "media" ? content.media.id : null,
    replyToId: null,
    senderType: "agent",
    senderId: "agent-1",
    status: "pending",
    providerMessageId: null,
    sentVia: null,
    clientMessageId: `client-${outbound.messageId}`,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedReason: null,
    retryCount: 0,
    createdAt,
    updatedAt: createdAt,
    senderName: "Agent Ana",
    senderPhone: null,
    media:
      content.kind === "media"
        ? { id: content.media.id, mime: content.media.mime, sizeBytes: content.media.sizeBytes, filename: content.media.filename, accessKey: "key" }
        : null,
    replyTo: null,
    attributes: {},
    enrichment: null,
  };
}

/** A widget provider whose far side is a recorded visitor channel, over an in-memory message table. */
function widgetSubject(conversationId = "conversation-1") {
  const published: Array<{ channels: string[]; event: string; data: unknown }> = [];
  const stored = new Map<string, Message>();
  const widget = createWebWidgetProvider({
    publisher: { publish: async (channelNames, event, data) => void published.push({ channels: channelNames, event, data }) },
    messages: async (workspaceId, id) => (workspaceId === inbox.workspaceId ? (stored.get(id) ?? null) : null),
  });
  // Every message reaches its send job stored in the recipient's conversation (the fixture's one).
  const provider: Provider = {
    ...widget,
    send: (target, outbound) => {
      stored.set(outbound.messageId, storedMessage(outbound, conversationId));
      return widget.send(target, outbound);
    },
  };
  const onVisitorChannel = () => published.filter((item) => item.event === "message.sent" && item.channels.includes(`private-visitor.${conversationId}`));
  return { provider, published, stored, onVisitorChannel };
}

runProviderContract("website widget (recorded visitor channel)", async () => {
  const subject = widgetSubject();
  return {
    provider: subject.provider,
    inbox,
    recipient: recipient("conversation-1"),
    // A conversation the message is not in: the widget refuses rather than leak it to another visitor.
    refusedRecipient: recipient("conversation-of-someone-else"),
    inboundProviderMessageId: null,
    delivered: async () =>
      subject.onVisitorChannel().map(({ data }): DeliveredContent => {
        const { message } = data as MessageEventPayload;
        if (message.media)
          return {
            kind: "media",
            type: message.type as Extract<DeliveredContent, { kind: "media" }>["type"],
            mediaId: message.media.id,
            caption: message.body,
          };
        return { kind: "text", text: message.body ?? "" };
      }),
    close: async () => {},
  };
});

describe("website widget provider", () => {
  it("shows the visitor the stored message as sent, with its sender and client id", async () => {
    const subject = widgetSubject();
    await subject.provider.send(inbox, {
      messageId: "m-1",
      recipient: recipient("conversation-1"),
      content: { kind: "text", body: "Hi Vera" },
      replyToProviderMessageId: null,
    });
    const [delivery] = subject.onVisitorChannel();
    expect((delivery!.data as MessageEventPayload).message).toMatchObject({
      id: "m-1",
      body: "Hi Vera",
      status: "sent",
      client_message_id: "client-m-1",
      sender: { type: "agent", name: "Agent Ana" },
    });
    expect((delivery!.data as MessageEventPayload).message.sent_at).not.toBeNull();
  });

  it("publishes an agent's typing on the visitor channel only", async () => {
    const subject = widgetSubject();
    await subject.provider.typing(inbox, {
      recipient: recipient("conversation-1"),
      isTyping: true,
      lastInboundProviderMessageId: null,
      agent: { id: "agent-1", name: "Ana" },
    });
    expect(subject.published).toEqual([
      {
        channels: ["private-visitor.conversation-1"],
        event: "typing",
        data: expect.objectContaining({ is_typing: true, sender: { type: "agent", id: "agent-1", name: "Ana" } }),
      },
    ]);
  });
});
