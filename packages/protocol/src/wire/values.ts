/**
 * Parley's closed value lists (and the few limits clients must agree on), declared once. The zod schemas of `./*.ts`, the server's domain
 * types and Drizzle enums, the agent web app and the widget all derive from these. Browser-safe
 * and free of zod, so code that must stay small (the widget, the domain) can import it.
 * Glossary: ARCHITECTURE.md.
 */
import { messageStatuses, type MessageStatus } from "../message-status.ts";

export { messageStatuses, type MessageStatus };

/** `inbound`: written by the customer; `outbound`: sent by the business (an agent or automation). */
export const messageDirections = ["inbound", "outbound"] as const;
export type MessageDirection = (typeof messageDirections)[number];

/**
 * What a message carries. `reaction`: the body is the emoji and `reply_to_id` the message reacted
 * to. `unsupported`: a placeholder for a WhatsApp message type Parley cannot show (never dropped).
 */
export const messageTypes = [
  "text",
  "image",
  "video",
  "audio",
  "voice",
  "document",
  "sticker",
  "location",
  "contact",
  "reaction",
  "template",
  "unsupported",
] as const;
export type MessageType = (typeof messageTypes)[number];

/** The message types whose content is an attachment (`media`). */
export const mediaMessageTypes = ["image", "video", "audio", "voice", "document", "sticker"] as const satisfies readonly MessageType[];
export type MediaMessageType = (typeof mediaMessageTypes)[number];

/** Who wrote a message: an agent, the customer, or Parley itself. */
export const senderTypes = ["agent", "contact", "system"] as const;
export type SenderType = (typeof senderTypes)[number];

/** Inbox kinds (ARCHITECTURE.md glossary, "inbox"). */
export const inboxProviders = ["web_widget", "whatsapp_web", "whatsapp_cloud"] as const;
export type InboxProvider = (typeof inboxProviders)[number];

/** Connection state of an inbox; `qr_ready` and `authenticated` occur only while linking WhatsApp Web. */
export const inboxStatuses = ["disconnected", "connecting", "qr_ready", "authenticated", "ready", "failed"] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

/** The library that runs a WhatsApp Web inbox's session (`config.engine`); `sandbox` is the simulated phone. */
export const whatsappEngines = ["baileys", "whatsapp-web.js", "sandbox"] as const;
export type WhatsappEngine = (typeof whatsappEngines)[number];

/** Progress of a WhatsApp Web inbox's initial chat sync. */
export const syncStatuses = ["pending", "running", "completed", "failed"] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export const conversationStatuses = ["open", "pending", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

/** `private`: one inbox and one contact; `group`: one WhatsApp group. */
export const conversationKinds = ["private", "group"] as const;
export type ConversationKind = (typeof conversationKinds)[number];

/** A member's role in a workspace, from most to least powerful. */
export const roles = ["owner", "admin", "agent", "viewer"] as const;
export type Role = (typeof roles)[number];

/**
 * The languages Parley's UI, widget and API error messages speak: English and Indonesian (issue 9).
 * BCP 47 primary language subtags.
 */
export const locales = ["en", "id"] as const;
export type Locale = (typeof locales)[number];

/** The widget's language: `auto` follows the visitor's browser (`navigator.language`). */
export const widgetLocales = ["auto", ...locales] as const;
export type WidgetLocale = (typeof widgetLocales)[number];

/** Where the widget's bubble sits on the page. */
export const widgetPositions = ["left", "right"] as const;
export type WidgetPosition = (typeof widgetPositions)[number];

/**
 * A WhatsApp Cloud API number's messaging limit: unique contacts a business may start
 * conversations with per rolling 24 h (Meta's "Messaging limits": new business portfolios start
 * at 250, then 2,000 by a scaling path, then 10,000, 100,000 and unlimited by automatic scaling).
 */
export const messagingLimits = [250, 2000, 10000, 100000, "unlimited"] as const;
export type MessagingLimit = (typeof messagingLimits)[number];
/** The limit Meta gives a new business portfolio, and so a new Cloud API inbox: 250. */
export const defaultMessagingLimit: MessagingLimit = 250;

/** Longest `client_message_id` a send may carry, in characters. */
export const maxClientMessageIdLength = 100;

/** What a customer's message is about (issue 9, enrichment): the default engine's and the classifier's labels. */
export const enrichmentIntents = ["purchase", "support", "information", "complaint", "compliment", "general"] as const;
export type EnrichmentIntent = (typeof enrichmentIntents)[number];

/** A message's sentiment label; its score lies in −1..1 and a neutral band around 0 is `neutral`. */
export const enrichmentSentimentLabels = ["negative", "neutral", "positive"] as const;
export type EnrichmentSentimentLabel = (typeof enrichmentSentimentLabels)[number];

/** How soon a message wants an answer, from its wording and how long the customer has waited. */
export const enrichmentUrgencies = ["low", "normal", "high"] as const;
export type EnrichmentUrgency = (typeof enrichmentUrgencies)[number];

/** A campaign's life (issue 10): only `draft` and `scheduled` can be edited; `completed` and `cancelled` are final. */
export const campaignStatuses = ["draft", "scheduled", "running", "paused", "completed", "cancelled"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/**
 * One recipient of a campaign. Moves only forward along pending → sent → delivered → read, or to
 * `failed` / `skipped` (with a reason); `replied` is a flag (`replied_at`) beside the status.
 */
export const campaignRecipientStatuses = ["pending", "sent", "delivered", "read", "failed", "skipped"] as const;
export type CampaignRecipientStatus = (typeof campaignRecipientStatuses)[number];

/** Why a contact stopped receiving campaigns: a STOP-like keyword, Meta's 131050, an agent, or the CSV import. */
export const optOutSources = ["keyword", "provider", "agent", "import"] as const;
export type OptOutSource = (typeof optOutSources)[number];
