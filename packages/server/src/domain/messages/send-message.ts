import type { Clock } from "../clock.ts";
import type { Conversation } from "../conversations/conversation.ts";
import { serviceWindowState } from "../conversations/service-window.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { NewMessage, Repositories, Store } from "../ports.ts";
import type { OutboundTemplate, ProviderCapabilities, ProviderDirectory } from "../providers/provider.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { appendMessage } from "./append-message.ts";
import { mediaMessageTypeOf } from "./media-kind.ts";
import { validateTextBody, type Message } from "./message.ts";

/** What an agent sends: text, an uploaded attachment with an optional caption, or a template. */
export type SendContent =
  | { kind: "text"; body: string }
  | { kind: "media"; mediaId: string; caption: string | null }
  | { kind: "template"; template: OutboundTemplate };

export interface SendMessageInput {
  clientMessageId: string;
  /** The message this one quotes; must be in the same conversation. */
  replyToId?: string | undefined;
  content: SendContent;
}

export interface OutboundDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  providers: ProviderDirectory;
  /** Called after a send job was committed, so a worker picks it up at once rather than at its next poll. */
  wakeSender?: () => void;
}

/**
 * An agent's message (ARCHITECTURE.md, "Flows", outbound): checked against the inbox's provider
 * capabilities and the customer-service window, stored `pending` together with its durable send
 * job in one transaction, then broadcast as `message.sent`; the job delivers it
 * (deliver-message.ts). The same client_message_id again returns the first message with
 * `created: false` and schedules nothing.
 *
 * Throws `auth.forbidden` (viewers), `conversations.not_found`, `messages.body_empty` /
 * `messages.body_too_long`, `messages.invalid_reply`, `media.not_found`, `media.not_allowed`,
 * `media.too_large`, `templates.unavailable`, and `conversations.window_closed` (422) for a
 * free-form message after the window closed — before anything is stored.
 */
export async function sendMessage(deps: OutboundDependencies, membership: Membership, conversationId: string, input: SendMessageInput): Promise<{ message: Message; created: boolean }> {
  requirePermission(membership, "messages.send");
  const workspaceId = membership.workspace.id;
  const now = deps.clock.now();
  const result = await deps.store.transaction(async (repositories) => {
    const conversation = await repositories.conversations.findById(workspaceId, conversationId);
    if (!conversation) throw notFound("conversations");
    const inbox = await repositories.inboxes.findById(workspaceId, conversation.inboxId);
    if (!inbox) throw notFound("conversations");
    const capabilities = deps.providers.forKind(inbox.provider).capabilities({ id: inbox.id, workspaceId, provider: inbox.provider, config: {} });
    const draft = await draftOf(repositories, { workspaceId, conversation, inbox, capabilities, now, input, senderId: membership.user.id });
    const appended = await appendMessage(repositories, conversation, draft);
    if (appended.created) await repositories.jobs.schedule("messages.send", { workspaceId, messageId: appended.message.id }, { singletonKey: appended.message.id });
    return appended;
  });
  await deps.events.publish(result.events);
  if (result.created) deps.wakeSender?.();
  return { message: result.message, created: result.created };
}

async function draftOf(
  repositories: Repositories,
  context: { workspaceId: string; conversation: Conversation; inbox: Inbox; capabilities: ProviderCapabilities; now: Date; input: SendMessageInput; senderId: string },
): Promise<NewMessage> {
  const { workspaceId, conversation, capabilities, now, input } = context;
  const { content } = input;
  if (content.kind !== "template") {
    const window = serviceWindowState(conversation.lastInboundAt, now, capabilities.customerServiceWindowMs);
    if (!window.open) {
      throw new DomainError("conversations.window_closed", "The 24-hour customer service window has closed: only an approved template can be sent.");
    }
  }
  if (input.replyToId) {
    const quoted = await repositories.messages.findById(workspaceId, input.replyToId);
    if (!quoted || quoted.conversationId !== conversation.id) {
      throw new DomainError("messages.invalid_reply", "The quoted message is not in this conversation.", { field: "reply_to_id" });
    }
  }
  const base = {
    id: newId(context.now),
    workspaceId,
    inboxId: conversation.inboxId,
    conversationId: conversation.id,
    direction: "outbound" as const,
    senderType: "agent" as const,
    senderId: context.senderId,
    status: "pending" as const,
    clientMessageId: input.clientMessageId,
    replyToId: input.replyToId ?? null,
    sentAt: null,
    createdAt: context.now,
  };
  switch (content.kind) {
    case "text":
      return { ...base, type: "text", body: checkedText(content.body, capabilities, "body") };
    case "media": {
      const media = await repositories.media.findById(content.mediaId);
      if (!media || media.workspaceId !== workspaceId) throw new DomainError("media.not_found", "No such attachment.", { field: "media_id" });
      const type = mediaMessageTypeOf(media.mime);
      const limits = capabilities.media[type] ?? (type === "voice" ? capabilities.media.audio : undefined);
      if (!limits || (limits.mimeTypes.length > 0 && !limits.mimeTypes.includes(media.mime.split(";")[0]!.trim()))) {
        throw new DomainError("media.not_allowed", `This inbox cannot send ${media.mime} attachments.`, { field: "media_id" });
      }
      if (media.sizeBytes > limits.maxBytes) {
        throw new DomainError("media.too_large", `This inbox sends ${type} attachments of at most ${limits.maxBytes} bytes.`, { field: "media_id" });
      }
      const caption = content.caption?.trim() ? checkedText(content.caption, capabilities, "body") : null;
      return { ...base, type, body: caption, mediaId: media.id };
    }
    case "template": {
      if (!capabilities.templates) throw new DomainError("templates.unavailable", "This inbox cannot send templates.", { field: "template" });
      const { name, language, variables } = content.template;
      const preview = [name, ...variables].join(" · ");
      return { ...base, type: "template", body: preview, attributes: { template: { name, language, variables } } };
    }
  }
}

function checkedText(body: string, capabilities: ProviderCapabilities, field: string): string {
  const cleaned = validateTextBody(body);
  if (cleaned.length > capabilities.maxBodyLength) {
    throw new DomainError("messages.body_too_long", `This inbox sends at most ${capabilities.maxBodyLength} characters.`, { field });
  }
  return cleaned;
}
