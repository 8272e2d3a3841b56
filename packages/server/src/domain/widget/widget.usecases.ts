import type { Clock } from "../clock.ts";
import type { Contact } from "../contacts/contact.ts";
import type { Conversation } from "../conversations/conversation.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { acknowledgeUpTo } from "../messages/acknowledge.ts";
import { appendMessage } from "../messages/append-message.ts";
import { validateTextBody, type Message } from "../messages/message.ts";
import type { MessagePage, Store, WidgetSession } from "../ports.ts";
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

/** What a website visitor can do through the widget. */
export function widgetUseCases({ store, events, clock, tokens }: WidgetDependencies) {
  async function inboxOrThrow(widgetKey: string): Promise<Inbox> {
    const inbox = await store.inboxes.findByWidgetKey(widgetKey);
    if (!inbox) throw notFound("widgets", "widget");
    return inbox;
  }

  async function load(session: WidgetSession, inbox: Inbox): Promise<VisitorSession> {
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
  async function noteSeen(contact: Contact): Promise<void> {
    const now = clock.now();
    if (contact.lastSeenAt && now.getTime() - contact.lastSeenAt.getTime() < lastSeenResolutionMs) return;
    await store.contacts.touchLastSeen(contact.workspaceId, contact.id, now);
  }

  return {
    /** The widget inbox behind a public key. Throws `widgets.not_found` (404). */
    inbox: inboxOrThrow,

    /**
     * Starts a visitor session: a new visitor contact, its conversation with the inbox, and a
     * session token (returned once; only its hash is stored). Throws `widgets.not_found`.
     */
    async startSession(widgetKey: string, visitor: { name?: string | undefined; email?: string | undefined }): Promise<VisitorSession & { token: string }> {
      const inbox = await inboxOrThrow(widgetKey);
      const now = clock.now();
      const { token, hash } = tokens.issue(widgetSessionTokenPrefix);
      const created = await store.transaction(async (repositories) => {
        const contact = await repositories.contacts.upsertVisitor({
          id: newId(now),
          workspaceId: inbox.workspaceId,
          visitorId: newId(now),
          name: visitor.name?.trim() || null,
          email: visitor.email?.trim().toLowerCase() || null,
        });
        const { conversation } = await repositories.conversations.getOrCreatePrivate({ id: newId(now), workspaceId: inbox.workspaceId, inboxId: inbox.id, contactId: contact.id });
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
    },

    /**
     * The live session of `token` for this widget. Throws `widgets.not_found` for an unknown key
     * and `widgets.invalid_session` (401) for a token that is unknown, expired, or of another widget.
     */
    async authenticate(widgetKey: string, token: string): Promise<VisitorSession> {
      const inbox = await inboxOrThrow(widgetKey);
      const session = token.startsWith(widgetSessionTokenPrefix) ? await store.widgetSessions.findLiveByHash(tokens.hash(token), clock.now()) : null;
      if (!session || session.inboxId !== inbox.id) throw invalidSession();
      const visitor = await load(session, inbox);
      await noteSeen(visitor.contact);
      return visitor;
    },

    /** The live session of `token` whatever its widget (channel authorization). Throws `widgets.invalid_session`. */
    async sessionOfToken(token: string): Promise<WidgetSession> {
      const session = await store.widgetSessions.findLiveByHash(tokens.hash(token), clock.now());
      if (!session) throw invalidSession();
      // A visitor authorising their channel has the page open: that is being seen.
      await store.contacts.touchLastSeen(session.workspaceId, session.contactId, clock.now());
      return session;
    },

    /** The visitor's messages, oldest first (see MessagePage). */
    async messages(visitor: VisitorSession, page: MessagePage): Promise<Message[]> {
      return store.messages.list(visitor.session.workspaceId, visitor.session.conversationId, page);
    },

    /**
     * Stores the visitor's message (idempotent on client_message_id) and broadcasts
     * `message.received` to the workspace. Throws `messages.body_empty` / `messages.body_too_long`.
     */
    async send(visitor: VisitorSession, input: { body: string; clientMessageId: string }): Promise<{ message: Message; created: boolean }> {
      const body = validateTextBody(input.body);
      const now = clock.now();
      const result = await store.transaction(async (repositories) => {
        const conversation = await repositories.conversations.findById(visitor.session.workspaceId, visitor.session.conversationId);
        if (!conversation) throw invalidSession();
        return appendMessage(repositories, conversation, {
          id: newId(now),
          workspaceId: conversation.workspaceId,
          inboxId: conversation.inboxId,
          conversationId: conversation.id,
          direction: "inbound",
          type: "text",
          body,
          senderType: "contact",
          senderId: visitor.contact.id,
          status: "sent",
          clientMessageId: input.clientMessageId,
          sentAt: now,
          createdAt: now,
        });
      });
      await events.publish(result.events);
      return { message: result.message, created: result.created };
    },

    /**
     * The visitor's widget received (`delivered`) or showed (`read`) the agent's messages up to
     * `upToMessageId`. Throws `messages.not_found` (404) when that message is not in the
     * visitor's conversation. Moves statuses forward only; repeats are no-ops.
     */
    async acknowledge(visitor: VisitorSession, upToMessageId: string, status: "delivered" | "read"): Promise<void> {
      const message = await store.messages.findById(visitor.session.workspaceId, upToMessageId);
      if (!message || message.conversationId !== visitor.session.conversationId) throw notFound("messages");
      const emitted = await store.transaction((repositories) =>
        acknowledgeUpTo(repositories, {
          workspaceId: visitor.session.workspaceId,
          conversationId: visitor.session.conversationId,
          direction: "outbound",
          upToId: upToMessageId,
          status,
          at: clock.now(),
        }),
      );
      await events.publish(emitted);
    },
  };
}

export type WidgetUseCases = ReturnType<typeof widgetUseCases>;

function invalidSession(): DomainError {
  return new DomainError("widgets.invalid_session", "The widget session is missing, expired or not valid for this widget.");
}
