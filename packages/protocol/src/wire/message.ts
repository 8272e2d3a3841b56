/**
 * A message as the API and the real-time events carry it (ARCHITECTURE.md glossary, "message";
 * the core-slice and Cloud API issues' contracts). Times are ISO-8601 in UTC.
 */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { mediaSchema } from "./media.ts";
import { messageTemplateSchema } from "./template.ts";
import { enrichmentIntents, enrichmentSentimentLabels, enrichmentUrgencies, messageDirections, messageStatuses, messageTypes, senderTypes } from "./values.ts";

/**
 * Who wrote a message. `id` is a user id for agents, a contact id for contacts (in a group, the
 * participant's contact). `jid` is a contact's WhatsApp JID (`<digits>@s.whatsapp.net`, in a
 * group the participant who wrote it), null for agents, the system and website visitors.
 */
export const senderSchema = z.object({ type: z.enum(senderTypes), id: z.string().nullable(), name: z.string().nullable(), jid: z.string().nullable() });
export type MessageSender = z.infer<typeof senderSchema>;

/** A location pin (WhatsApp `location`), in degrees. */
export const locationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().nullable(),
  address: z.string().nullable(),
});
export type MessageLocation = z.infer<typeof locationSchema>;

/** A shared contact card (WhatsApp `contacts`), reduced to what an agent needs; phones as the card gave them. */
export const sharedContactSchema = z.object({ name: z.string(), phones: z.array(z.string()) });
export type SharedContact = z.infer<typeof sharedContactSchema>;

/** What a reply shows of the message it quotes. */
export const quotedMessageSchema = z.object({ id: z.string(), type: z.enum(messageTypes), body: z.string().nullable(), sender: senderSchema });
export type QuotedMessage = z.infer<typeof quotedMessageSchema>;

/**
 * What Parley learned from a customer's message (issue 9): `language` an ISO 639-3 code (`ind`,
 * `eng`), `sentiment.score` in −1..1, `intent.confidence` in 0..1 (1 when an agent set it),
 * `keywords` lower-case without stop words. Agents' corrections are shown in place.
 */
export const enrichmentSchema = z.object({
  language: z.string(),
  sentiment: z.object({ label: z.enum(enrichmentSentimentLabels), score: z.number().min(-1).max(1) }),
  urgency: z.enum(enrichmentUrgencies),
  intent: z.object({ name: z.enum(enrichmentIntents), confidence: z.number().min(0).max(1) }),
  keywords: z.array(z.string()),
});
export type ApiEnrichment = z.infer<typeof enrichmentSchema>;

/** `PATCH …/messages/{message_id}/enrichment`: an agent's correction; at least one of the two. */
export const enrichmentCorrectionRequestSchema = z
  .object({ intent: z.enum(enrichmentIntents).optional(), sentiment: z.enum(enrichmentSentimentLabels).optional() })
  .strict()
  .refine((body) => body.intent !== undefined || body.sentiment !== undefined, { message: "Give intent, sentiment or both." });
export type EnrichmentCorrectionRequest = z.infer<typeof enrichmentCorrectionRequestSchema>;

/**
 * One message.
 * - `body`: the text, a media caption, a reaction's emoji, or an `unsupported` placeholder's
 *   description; null when there is none.
 * - `provider_message_id`: the provider's id (Cloud API `wamid…`), null until sent or for the widget.
 * - `client_message_id`: the sender's idempotency key (ARCHITECTURE.md glossary).
 * - `reply_to_id`/`reply_to`: the quoted message (for a `reaction`, the message reacted to).
 * - `media`, `template`, `location`, `contacts`: set for messages of those types, else null.
 * - `failed_reason`: why a `failed` message failed, fit to show an agent (Meta's error title).
 * - `sent_from_phone`: an outbound message the business wrote on its own phone (WhatsApp Web).
 * - `deleted_at`: deleted for everyone by its sender (its body and media are gone);
 *   `edited_at`: its sender edited it (the body is the new text).
 * - `enrichment`: an inbound message's language, sentiment, urgency, intent and keywords; null
 *   until the enrichment job ran (a `message.enriched` event follows) and for agents' messages.
 * - `sent_via`: failover (seed 001 DES-6): the inbox that sent this reply because the
 *   conversation's own WhatsApp inbox was not connected; null when its own inbox sent it.
 */
export const messageSchema = z.object({
  id: z.string(),
  conversation_id: z.string(),
  direction: z.enum(messageDirections),
  type: z.enum(messageTypes),
  body: z.string().nullable(),
  status: z.enum(messageStatuses),
  provider_message_id: z.string().nullable(),
  client_message_id: z.string().nullable(),
  reply_to_id: z.string().nullable(),
  sender: senderSchema,
  failed_reason: z.string().nullable(),
  media: mediaSchema.nullable(),
  template: messageTemplateSchema.nullable(),
  location: locationSchema.nullable(),
  contacts: z.array(sharedContactSchema).nullable(),
  reply_to: quotedMessageSchema.nullable(),
  created_at: isoTime,
  sent_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  read_at: isoTime.nullable(),
  sent_from_phone: z.boolean(),
  deleted_at: isoTime.nullable(),
  edited_at: isoTime.nullable(),
  sent_via: z.object({ inbox_id: z.string(), name: z.string().nullable() }).nullable(),
  enrichment: enrichmentSchema.nullable(),
});
export type ApiMessage = z.infer<typeof messageSchema>;
