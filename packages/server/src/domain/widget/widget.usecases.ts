import type { Clock } from "../clock.ts";
import type { Contact } from "../contacts/contact.ts";
import type { Conversation } from "../conversations/conversation.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { acknowledgeUpTo } from "../messages/acknowledge.ts";
import { appendMessage } from "../messages/append-message.ts";
import { mediaMessageTypeOf } from "../messages/media-kind.ts";
import { validateTextBody, type Message, type MessageType } from "../messages/message.ts";
import type { MessagePage, Repositories, Store, WidgetSession } from "../ports.ts";
import type { SecretTokens } from "../security.ts";

/** Widget session lifetime, in ms (30 days; the widget resumes within it). */
export const widgetSessionLifetimeMs = 30 * 24 * 3600 * 1000;
/** How stale a visitor's last_seen_at may get before a widget request refreshes it, in ms. */
export const lastSeenResolutionMs = 30_000;
/** Prefix of widget session tokens; tells them apart from agents' tokens. */
export const widgetSessionTokenPrefix = "wst_";

/** A visitor's view of their conversation. */
export interface VisitorSession {
  session: WidgetSession;
  inbox: Inbox;
  contact: Contact;
  conversation: Conversation;
}

export interface WidgetDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  tokens: SecretTokens;
}

/** The widget inbox behind a public key. Throws `widgets.not_found` (404). */
export async function findWidgetInbox(deps: WidgetDependencies, widgetKey: string, repositories: Repositories = deps.store): Promise<Inbox> {
  const inbox = await repositories.inboxes.findByWidgetKey(widgetKey);
  if (!inbox) throw notFound("widgets", "widget");
  return inbox;
}

async function load(store: Store, session: WidgetSession, inbox: Inbox): Promise<VisitorSession> {
  const [contact, conversation] = await Promise.all([
    store.contacts.findById(session.workspaceId, session.contactId),
    store.conversations.findById(session.workspaceId, session.conversationId),
  ]);
  if (!contact || !conversation) throw invalidSession();
  return { session, inbox, contact, conversation };
}

/**
 * Records that the visitor is on the page (agents see "online" / "last seen"), at most once
 * per lastSeenResolutionMs so polling does not turn every read into a write.
 */
async function noteSeen(deps: WidgetDependencies, contact: Contact): Promise<void> {
  const now = deps.clock.now();
  if (contact.lastSeenAt && now.getTime() - contact.lastSeenAt.getTime() < lastSeenResolutionMs) return;
  await deps.store.contacts.touchLastSeen(contact.workspaceId, contact.id, now);
}

/** Who the visitor says they are, both optional. */
export interface VisitorDetails {
  name?: string | undefined;
  email?: string | undefined;
}

/**
 * Starts a visitor session: a new visitor contact, its conversation with the inbox, and a
 * session token (returned once; only its hash is stored), all in one transaction. Throws
 * `widgets.not_found`.
 */
export async function startVisitorSession(deps: WidgetDependencies, widgetKey: string, visitor: VisitorDetails): Promise<VisitorSession & { token: string }> {
  const now = deps.clock.now();
  const { token, hash } = deps.tokens.issue(widgetSessionTokenPrefix);
  const created = await deps.store.transaction(async (repositories) => {
    const inbox = await findWidgetInbox(deps, widgetKey, repositories);
    const contact = await repositories.contacts.upsertVisitor({
      id: newId(now),
      workspaceId: inbox.workspaceId,
      visitorId: newId(now),
      name: visitor.name?.trim() || null,
      email: visitor.email?.trim().toLowerCase() || null,
    });
    const { conversation } = await repositories.conversations.getOrCreatePrivate({
      id: newId(now),
      workspaceId: inbox.workspaceId,
      inboxId: inbox.id,
      contactId: contact.id,
    });
    const session: WidgetSession = {
      id: newId(now),
      workspaceId: inbox.workspaceId,
      inboxId: inbox.id,
      contactId: contact.id,
      conversationId: conversation.id,
      expiresAt: new Date(now.getTime() + widgetSessionLifetimeMs),
    };
    await repositories.widgetSessions.create({ ...session, tokenHash: hash });
    return { session, inbox, contact, conversation };
  });
  return { ...created, token };
}

/**
 * The live session of `token` for this widget. Throws `widgets.not_found` for an unknown key
 * and `widgets.invalid_session` (401) for a token that is unknown, expired, or of another widget.
 */
export async function authenticateVisitor(deps: WidgetDependencies, widgetKey: string, token: string): Promise<VisitorSession> {
  const inbox = await findWidgetInbox(deps, widgetKey);
  const session = token.startsWith(widgetSessionTokenPrefix) ? await deps.store.widgetSessions.findLiveByHash(deps.tokens.hash(token), deps.clock.now()) : null;
  if (!session || session.inboxId !== inbox.id) throw invalidSession();
  const visitor = await load(deps.store, session, inbox);
  await noteSeen(deps, visitor.contact);
  return visitor;
}

/** The live session of `token` whatever its widget (channel authorization). Throws `widgets.invalid_session`. */
export async function visitorSessionOfToken(deps: WidgetDependencies, token: string): Promise<WidgetSession> {
  const session = await deps.store.widgetSessions.findLiveByHash(deps.tokens.hash(token), deps.clock.now());
  if (!session) throw invalidSession();
  // A visitor authorising their channel has the page open: that is being seen.
  await deps.store.contacts.touchLastSeen(session.workspaceId, session.contactId, deps.clock.now());
  return session;
}

/** The visitor's messages, oldest first (see MessagePage). */
export async function listVisitorMessages(deps: WidgetDependencies, visitor: VisitorSession, page: MessagePage): Promise<Message[]> {
  return deps.store.messages.list(visitor.session.workspaceId, visitor.session.conversationId, page);
}

/**
 * What a visitor sends: text, or an attachment they uploaded (POST /media) with an optional
 * caption. Templates are an agent's tool for a closed WhatsApp window; visitors have none.
 */
export type VisitorContent = { kind: "text"; body: string } | { kind: "media"; mediaId: string; caption: string | null };

/** A visitor's send; `clientMessageId` makes it idempotent. */
export interface VisitorSendInput {
  clientMessageId: string;
  content: VisitorContent;
}

/**
 * Stores the visitor's message (idempotent on client_message_id) and broadcasts
 * `message.received` to the workspace. An attachment's message type comes from its MIME type
 * (mediaMessageTypeOf); its caption is optional. Throws `messages.body_empty` /
 * `messages.body_too_long`, and `media.not_found` (field `media_id`) for an attachment that is
 * unknown or of another workspace, before anything is stored.
 */
export async function sendVisitorMessage(
  deps: WidgetDependencies,
  visitor: VisitorSession,
  input: VisitorSendInput,
): Promise<{ message: Message; created: boolean }> {
  const { content } = input;
  const body = content.kind === "text" ? validateTextBody(content.body) : content.caption?.trim() ? validateTextBody(content.caption) : null;
  const now = deps.clock.now();
  const result = await deps.store.transaction(async (repositories) => {
    const conversation = await repositories.conversations.findById(visitor.session.workspaceId, visitor.session.conversationId);
    if (!conversation) throw invalidSession();
    let attachment: { type: MessageType; mediaId: string } | null = null;
    if (content.kind === "media") {
      const media = await repositories.media.findById(content.mediaId);
      if (!media || media.workspaceId !== conversation.workspaceId) throw new DomainError("media.not_found", "No such attachment.", { field: "media_id" });
      attachment = { type: mediaMessageTypeOf(media.mime), mediaId: media.id };
    }
    return appendMessage(repositories, conversation, {
      id: newId(now),
      workspaceId: conversation.workspaceId,
      inboxId: conversation.inboxId,
      conversationId: conversation.id,
      direction: "inbound",
      type: attachment?.type ?? "text",
      body,
      mediaId: attachment?.mediaId ?? null,
      senderType: "contact",
      senderId: visitor.contact.id,
      status: "sent",
      clientMessageId: input.clientMessageId,
      sentAt: now,
      createdAt: now,
    });
  });
  await deps.events.publish(result.events);
  return { message: result.message, created: result.created };
}

/**
 * The visitor's widget received (`delivered`) or showed (`read`) the agent's messages up to
 * `upToMessageId`. Throws `messages.not_found` (404) when that message is not in the
 * visitor's conversation. Moves statuses forward only; repeats are no-ops.
 */
export async function acknowledgeVisitorMessages(
  deps: WidgetDependencies,
  visitor: VisitorSession,
  upToMessageId: string,
  status: "delivered" | "read",
): Promise<void> {
  const emitted = await deps.store.transaction(async (repositories) => {
    const message = await repositories.messages.findById(visitor.session.workspaceId, upToMessageId);
    if (!message || message.conversationId !== visitor.session.conversationId) throw notFound("messages");
    return acknowledgeUpTo(repositories, {
      workspaceId: visitor.session.workspaceId,
      conversationId: visitor.session.conversationId,
      direction: "outbound",
      upToId: upToMessageId,
      status,
      at: deps.clock.now(),
    });
  });
  await deps.events.publish(emitted);
}

/** What a website visitor can do through the widget, bound to its dependencies for the routes. */
export function widgetUseCases(deps: WidgetDependencies) {
  return {
    inbox: (widgetKey: string) => findWidgetInbox(deps, widgetKey),
    startSession: (widgetKey: string, visitor: VisitorDetails) => startVisitorSession(deps, widgetKey, visitor),
    authenticate: (widgetKey: string, token: string) => authenticateVisitor(deps, widgetKey, token),
    sessionOfToken: (token: string) => visitorSessionOfToken(deps, token),
    messages: (visitor: VisitorSession, page: MessagePage) => listVisitorMessages(deps, visitor, page),
    send: (visitor: VisitorSession, input: VisitorSendInput) => sendVisitorMessage(deps, visitor, input),
    acknowledge: (visitor: VisitorSession, upToMessageId: string, status: "delivered" | "read") =>
      acknowledgeVisitorMessages(deps, visitor, upToMessageId, status),
  };
}

export type WidgetUseCases = ReturnType<typeof widgetUseCases>;

function invalidSession(): DomainError {
  return new DomainError("widgets.invalid_session", "The widget session is missing, expired or not valid for this widget.");
}
