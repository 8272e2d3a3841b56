/** Conversation context and reply suggestions (issue 9, parts 2 and 5). */
import { z } from "zod";
import { isoTime } from "./common.ts";

/**
 * `GET …/conversations/{id}/context`. Times are ISO; durations whole seconds. A customer turn
 * (consecutive inbound messages) is timed from its first message to the first reply after it;
 * `waiting_since` is the start of the unanswered turn, null when the last word is the business's.
 * `interaction_count` counts the messages of all the customer's conversations; the sentiment
 * trend holds the scores (−1..1) of their latest scored messages, oldest first.
 */
export const conversationContextSchema = z.object({
  conversation: z.object({
    message_count: z.number().int(),
    inbound_count: z.number().int(),
    outbound_count: z.number().int(),
    first_message_at: isoTime.nullable(),
    last_message_at: isoTime.nullable(),
    first_response_seconds: z.number().int().nullable(),
    average_response_seconds: z.number().int().nullable(),
    waiting_since: isoTime.nullable(),
  }),
  customer: z.object({
    name: z.string().nullable(),
    phone: z.string().nullable(),
    first_contact_at: isoTime.nullable(),
    interaction_count: z.number().int(),
    sentiment_trend: z.array(z.object({ at: isoTime, score: z.number() })),
  }),
  business: z.object({
    inbox: z.object({ id: z.string(), name: z.string(), provider: z.string() }),
    assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
    labels: z.array(z.string()),
    custom_attributes: z.record(z.string(), z.unknown()),
  }),
});
export type ApiConversationContext = z.infer<typeof conversationContextSchema>;

/** `POST …/ai/suggestions`. */
export const suggestionsRequestSchema = z.object({ conversation_id: z.string() });

/**
 * Up to three replies, best first (`score` 0..1), variables filled; `engine` says which engine
 * answered (the offline one also when the LLM failed). `intent` and `sentiment` are the customer's
 * latest message's, null until enriched; `articles` are the knowledge-base articles that matched.
 */
export const suggestionsSchema = z.object({
  engine: z.enum(["offline", "llm"]),
  suggestions: z.array(
    z.object({
      text: z.string(),
      source: z.object({ type: z.enum(["canned_response", "article", "past_reply", "llm"]), id: z.string().optional() }),
      score: z.number(),
    }),
  ),
  intent: z.object({ name: z.string(), confidence: z.number().nullable() }).nullable(),
  sentiment: z.object({ label: z.enum(["negative", "neutral", "positive"]), score: z.number() }).nullable(),
  proactive_actions: z.array(z.string()),
  articles: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
});
export type ApiSuggestions = z.infer<typeof suggestionsSchema>;

/**
 * `GET|PUT …/ai/settings`: the workspace's suggestion engine. The API key is write-only: answers
 * say only whether one is set (`api_key_set`); `PUT` takes `api_key` (a new key), null (forget
 * it) or nothing (keep it).
 */
export const aiSettingsSchema = z.object({
  engine: z.enum(["offline", "llm"]),
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  api_key_set: z.boolean(),
});
export type ApiAiSettings = z.infer<typeof aiSettingsSchema>;

/** `PUT …/ai/settings` (owners and admins). */
export const aiSettingsRequestSchema = z.object({
  engine: z.enum(["offline", "llm"]),
  base_url: z.string().url().max(500).nullable().optional(),
  model: z.string().trim().min(1).max(200).nullable().optional(),
  api_key: z.string().min(1).max(500).nullable().optional(),
});
export type AiSettingsRequest = z.infer<typeof aiSettingsRequestSchema>;

/** `POST …/ai/settings/test`: the model answered (else 502 `ai.unreachable` with the reason). */
export const aiConnectionTestSchema = z.object({ ok: z.literal(true), model: z.string() });
export type ApiAiConnectionTest = z.infer<typeof aiConnectionTestSchema>;

/** `POST …/ai/summary`: the LLM's summary (409 `ai.not_configured` offline, 502 `ai.unreachable`). */
export const aiSummarySchema = z.object({ summary: z.string(), model: z.string() });
export type ApiAiSummary = z.infer<typeof aiSummarySchema>;

/**
 * `GET …/ai/classifier`: the workspace's own intent classifier, trained on its agents' intent
 * corrections; `trained` false (the keyword rules decide) until `minimum_examples` corrections of
 * at least two intents exist.
 */
export const aiClassifierSchema = z.object({
  trained: z.boolean(),
  examples: z.number().int(),
  intents: z.array(z.string()),
  trained_at: isoTime.nullable(),
  minimum_examples: z.number().int(),
});
export type ApiAiClassifier = z.infer<typeof aiClassifierSchema>;
