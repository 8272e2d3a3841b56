import type { Clock } from "../clock.ts";
import type { Conversation } from "../conversations/conversation.ts";
import { serviceWindowState } from "../conversations/service-window.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { NewMessage, Repositories, Store } from "../ports.ts";
import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import { ProviderError, type OutboundTemplate, type ProviderCapabilities, type ProviderDirectory, type ProviderTemplate } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
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
  /** Opens the inbox's secrets, to read its templates. */
  sealer: SecretSealer;
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
export async function sendMessage(
  deps: OutboundDependencies,
  membership: Membership,
  conversationId: string,
  input: SendMessageInput,
): Promise<{ message: Message; created: boolean }> {
  requirePermission(membership, "messages.send");
  const workspaceId = membership.workspace.id;
  const now = deps.clock.now();
  // The provider is asked outside the transaction: a slow Graph API must not hold a connection.
  const templateBody = input.content.kind === "template" ? await renderTemplate(deps, workspaceId, conversationId, input.content.template) : null;
  const result = await deps.store.transaction(async (repositories) => {
    const conversation = await repositories.conversations.findById(workspaceId, conversationId);
    if (!conversation) throw notFound("conversations");
    const inbox = (await repositories.inboxes.findWithConfig(conversation.inboxId))?.inbox;
    if (inbox?.workspaceId !== workspaceId) throw notFound("conversations");
    const capabilities = deps.providers.forKind(inbox.provider).capabilities({ id: inbox.id, workspaceId, provider: inbox.provider, config: {} });
    const draft = await draftOf(repositories, { workspaceId, conversation, inbox, capabilities, now, input, senderId: membership.user.id, templateBody });
    return appendMessage(repositories, conversation, draft, {
      onCreated: (message) => repositories.jobs.schedule("messages.send", { workspaceId, messageId: message.id }, { singletonKey: message.id }),
    });
  });
  await deps.events.publish(result.events);
  if (result.created) deps.wakeSender?.();
  return { message: result.message, created: result.created };
}

async function draftOf(
  repositories: Repositories,
  context: {
    workspaceId: string;
    conversation: Conversation;
    inbox: Inbox;
    capabilities: ProviderCapabilities;
    now: Date;
    input: SendMessageInput;
    senderId: string;
    templateBody: string | null;
  },
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
      const body = context.templateBody ?? [name, ...variables].join(" · ");
      return { ...base, type: "template", body, attributes: { template: { name, language, variables } } };
    }
  }
}

/**
 * The text a template send shows in the thread and the list: the approved template's body with
 * its {{n}} filled. Throws `messages.invalid_content` (field `template`) when the inbox has no
 * approved template of that name and language, or the variables do not match its placeholders.
 * Null when the provider lists no templates or cannot be reached now (the send still goes: Meta
 * is the judge of the template, and a refusal fails the message with Meta's reason).
 */
async function renderTemplate(deps: OutboundDependencies, workspaceId: string, conversationId: string, template: OutboundTemplate): Promise<string | null> {
  const conversation = await deps.store.conversations.findById(workspaceId, conversationId);
  const found = conversation ? await deps.store.inboxes.findWithConfig(conversation.inboxId) : null;
  if (!found || found.inbox.workspaceId !== workspaceId) return null;
  const provider = deps.providers.forKind(found.inbox.provider);
  if (!provider.listTemplates) return null;
  let templates: ProviderTemplate[];
  try {
    templates = await provider.listTemplates(openProviderInbox(found.inbox, found.config, deps.sealer));
  } catch (error) {
    if (error instanceof ProviderError) return null;
    throw error;
  }
  const approved = templates.find((candidate) => candidate.name === template.name && candidate.language === template.language);
  if (!approved) {
    throw new DomainError("messages.invalid_content", `This inbox has no approved template "${template.name}" in ${template.language}.`, { field: "template" });
  }
  if (template.variables.length !== approved.variableCount) {
    throw new DomainError(
      "messages.invalid_content",
      `The template "${template.name}" takes ${approved.variableCount} variables, not ${template.variables.length}.`,
      {
        field: "template.variables",
      },
    );
  }
  return approved.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (placeholder, position: string) => template.variables[Number(position) - 1] ?? placeholder);
}

function checkedText(body: string, capabilities: ProviderCapabilities, field: string): string {
  const cleaned = validateTextBody(body);
  if (cleaned.length > capabilities.maxBodyLength) {
    throw new DomainError("messages.body_too_long", `This inbox sends at most ${capabilities.maxBodyLength} characters.`, { field });
  }
  return cleaned;
}
