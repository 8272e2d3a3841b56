/**
 * The provider port: what the domain needs from whatever carries messages to and from customers
 * (ARCHITECTURE.md, "provider"). One implementation per inbox kind lives under `src/providers/`
 * (`web-widget/`, `whatsapp-cloud/`, and the WhatsApp Web engines). Every implementation runs the
 * one shared contract suite, `providers/provider.contract.ts`.
 *
 * Guarantees every implementation gives:
 * - `send` either resolves with what the far side acknowledged, or throws a `ProviderError`
 *   whose `retry` says whether sending again can help. It never resolves for a message the far
 *   side refused, and it never throws a plain Error for an expected refusal.
 * - `send` is called at least once per outbound message (durable jobs retry after a crash); a
 *   provider with an idempotency key uses `messageId` for it, one without (the Cloud API) may
 *   deliver a message twice when the process died while the call was in flight.
 * - `markRead` and `typing` are best effort: they may throw, and callers log and move on.
 * - `capabilities` is pure and cheap (no I/O): the domain checks limits with it before storing.
 */
import type { InboxProvider } from "../inboxes/inbox.ts";
import type { Message, MessageType } from "../messages/message.ts";

/** Media kinds a provider may carry, as message types. */
export type MediaMessageType = Extract<MessageType, "image" | "video" | "audio" | "voice" | "document" | "sticker">;

/** What an inbox kind can do; the domain validates sends against it before anything is stored. */
export interface ProviderCapabilities {
  /** Longest text body (and media caption), in characters. */
  maxBodyLength: number;
  /**
   * Per media kind: the largest attachment in bytes and the MIME types accepted (an empty list
   * accepts any). A kind missing from the record cannot be sent.
   */
  media: Partial<Record<MediaMessageType, { maxBytes: number; mimeTypes: readonly string[] }>>;
  /** Approved message templates can be sent (WhatsApp Cloud API). */
  templates: boolean;
  /** Reactions to a message can be sent. */
  reactions: boolean;
  /**
   * The customer-service window in milliseconds: free-form messages may only be sent this long
   * after the customer's last message (24 h on the Cloud API), or null when there is none.
   */
  customerServiceWindowMs: number | null;
}

/** The inbox a provider acts for, with its configuration decrypted. */
export interface ProviderInbox {
  id: string;
  workspaceId: string;
  provider: InboxProvider;
  /** Provider settings with secrets in clear text; never logged, never returned by the API. */
  config: Readonly<Record<string, unknown>>;
}

/** Who receives an outbound message. */
export interface ProviderRecipient {
  conversationId: string;
  contactId: string | null;
  /** E.164 (`+5511987654321`) for WhatsApp contacts; null for website visitors. */
  phone: string | null;
  /** The WhatsApp group JID for group conversations. */
  groupJid: string | null;
}

/** An attachment to send: the stored media, readable on demand. */
export interface OutboundMedia {
  id: string;
  mime: string;
  /** Size in bytes. */
  sizeBytes: number;
  filename: string | null;
  /** The bytes, read from storage when the provider needs to upload them. */
  read(): Promise<Uint8Array>;
}

/** One parameter of a template component (Cloud API `components[].parameters[]`). */
export interface TemplateParameter {
  type: "text";
  text: string;
}

/** An approved template to send: its name, language code and the body's variables in order. */
export interface OutboundTemplate {
  name: string;
  /** Language code as registered with Meta, e.g. `en_US`, `id`. */
  language: string;
  /** Values for {{1}}, {{2}}, … of the template's body, in order. */
  variables: string[];
}

/** What an outbound message carries. */
export type OutboundContent =
  | { kind: "text"; body: string }
  | { kind: "media"; type: MediaMessageType; media: OutboundMedia; caption: string | null }
  | { kind: "template"; template: OutboundTemplate }
  | { kind: "reaction"; emoji: string; targetProviderMessageId: string };

/** One message for a provider to deliver. */
export interface OutboundMessage {
  /** Parley's message id: an idempotency key for providers that support one. */
  messageId: string;
  recipient: ProviderRecipient;
  content: OutboundContent;
  /** The provider's id of the quoted message, when this one is a reply. */
  replyToProviderMessageId: string | null;
  /**
   * The message as stored (sender name, attachment, quote), when the caller has it: a provider
   * that shows the message itself (the widget) uses it instead of reading it again.
   */
  stored?: Message;
}

/** What the far side acknowledged. */
export interface SendReceipt {
  /** The provider's id for the message (Cloud API `wamid…`); null when it has none. */
  providerMessageId: string | null;
  /** The status the message reached by being accepted: `sent` for every provider so far. */
  status: "sent" | "delivered";
}

/**
 * An expected refusal from a provider.
 * - `retry: "later"`: a passing fault (network, 5xx, rate limit); try again, after
 *   `retryAfterMs` when given.
 * - `retry: "never"`: the message cannot be delivered as it is (invalid number, window closed,
 *   unsupported media); fail it at once with `reason`.
 */
export class ProviderError extends Error {
  readonly retry: "later" | "never";
  /** The provider's own error code, e.g. Cloud API `131047`; null when it gave none. */
  readonly providerCode: string | null;
  /** A reason fit to show an agent (Meta's error title, for the Cloud API). */
  readonly reason: string;
  /** How long to wait before the next attempt, in ms, when the provider said. */
  readonly retryAfterMs: number | null;

  constructor(input: { retry: "later" | "never"; reason: string; providerCode?: string | null; retryAfterMs?: number | null; cause?: unknown }) {
    super(input.reason, input.cause === undefined ? undefined : { cause: input.cause });
    this.name = "ProviderError";
    this.retry = input.retry;
    this.reason = input.reason;
    this.providerCode = input.providerCode ?? null;
    this.retryAfterMs = input.retryAfterMs ?? null;
  }
}

/** The adapter for one inbox kind. */
export interface Provider {
  readonly kind: InboxProvider;
  /** What inboxes of this kind can carry; pure. */
  capabilities(inbox: ProviderInbox): ProviderCapabilities;
  /** Delivers one message. Throws ProviderError (see the class) for refusals. */
  send(inbox: ProviderInbox, message: OutboundMessage): Promise<SendReceipt>;
  /**
   * Tells the customer their messages were read, up to and including `lastProviderMessageId`
   * (Cloud API `status: read`, whatsapp-web.js `sendSeen`, the widget's read event).
   */
  markRead(inbox: ProviderInbox, input: { recipient: ProviderRecipient; lastProviderMessageId: string | null }): Promise<void>;
  /**
   * Shows or clears "typing…" to the customer. `lastInboundProviderMessageId` is the message the
   * Cloud API hangs its typing indicator on (it has no typing call of its own).
   */
  typing(
    inbox: ProviderInbox,
    input: { recipient: ProviderRecipient; isTyping: boolean; lastInboundProviderMessageId: string | null; agent?: { id: string | null; name: string | null } },
  ): Promise<void>;
  /**
   * Downloads media the customer sent, by the provider's media id (Cloud API: metadata, then
   * the short-lived URL with the bearer token). Providers whose media arrive with the message
   * (the widget) have none. Throws ProviderError.
   */
  fetchMedia?(inbox: ProviderInbox, providerMediaId: string): Promise<FetchedMedia>;
  /** The approved message templates of the inbox's account (Cloud API); cached by the provider. Throws ProviderError. */
  listTemplates?(inbox: ProviderInbox): Promise<ProviderTemplate[]>;
}

/** An approved template as an agent picks it: `body` has its `{{n}}` placeholders. */
export interface ProviderTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  body: string;
  /** How many variables ({{1}}…{{n}}) the body needs. */
  variableCount: number;
}

/** Media bytes fetched from a provider. */
export interface FetchedMedia {
  bytes: Uint8Array;
  mime: string;
  filename: string | null;
}

/** Finds the provider of an inbox kind. */
export interface ProviderDirectory {
  /** Throws DomainError `inboxes.provider_unavailable` for a kind with no provider. */
  forKind(kind: InboxProvider): Provider;
}
