/**
 * The LLM suggestion engine: any OpenAI-compatible endpoint (OpenAI, a local Ollama) through
 * the `openai` SDK, asked for JSON and validated with zod. The offline engine's snippets go in
 * as context. No retries: fallback-engine.ts answers offline when this throws or is late.
 */
import type OpenAI from "openai";
import { z } from "zod";
import type { SuggestionAnswer, SuggestionEngine, SuggestionRequest } from "../domain/suggestions/suggestions.ts";

/** What the model must answer: up to three replies. Anything else is rejected. */
export const llmAnswerSchema = z.object({
  suggestions: z
    .array(z.object({ text: z.string().trim().min(1).max(2000) }))
    .min(1)
    .max(3),
});

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey: string;
  /** The whole request's limit, in ms (8,000 in production). */
  timeoutMs: number;
}

const systemPrompt = [
  "You help a customer-service agent of a small business answer a WhatsApp chat.",
  "Reply in the customer's language (Indonesian or English, as they wrote), briefly and politely.",
  "Use only facts from the snippets; do not invent prices or policies.",
  'Answer with JSON only: {"suggestions": [{"text": "..."}]} with one to three replies.',
].join(" ");

/**
 * An SDK client for `settings`, no retries. The SDK loads on the first use: most workspaces never
 * configure an LLM, and nodes start without it.
 */
async function clientFor(settings: LlmSettings): Promise<OpenAI> {
  const { default: OpenAIClient } = await import("openai");
  return new OpenAIClient({ baseURL: settings.baseUrl, apiKey: settings.apiKey, timeout: settings.timeoutMs, maxRetries: 0 });
}

/** Chat completions against `settings.baseUrl`; `context` gives the snippets (the offline engine's answer). */
export function llmEngine(settings: LlmSettings, context: SuggestionEngine): SuggestionEngine {
  let client: Promise<OpenAI> | undefined;
  return {
    async suggest(request: SuggestionRequest): Promise<SuggestionAnswer> {
      const retrieved = await context.suggest(request);
      const snippets = retrieved.suggestions.map((s, index) => `[${index + 1}] ${s.text}`).join("\n");
      const completion = await (await (client ??= clientFor(settings))).chat.completions.create({
        model: settings.model,
        response_format: { type: "json_object" },
        messages: [
          { role: "system", content: systemPrompt },
          { role: "user", content: `Snippets:\n${snippets || "(none)"}\n\nCustomer (${request.contact.name ?? "unknown"}):\n${request.customerText}` },
        ],
      });
      const parsed = llmAnswerSchema.parse(JSON.parse(completion.choices[0]?.message.content ?? ""));
      return {
        engine: "llm",
        suggestions: parsed.suggestions.map((s, index) => ({
          text: s.text,
          source: { type: "llm" as const },
          score: Math.round((1 - index * 0.1) * 1000) / 1000,
        })),
        articles: retrieved.articles,
      };
    },
  };
}

/** Asks the endpoint for a one-token completion with the model; throws what the SDK throws (unreachable, 401, unknown model). */
export async function testLlmConnection(settings: LlmSettings): Promise<void> {
  const client = await clientFor(settings);
  await client.chat.completions.create({ model: settings.model, max_tokens: 1, messages: [{ role: "user", content: "ping" }] });
}

/** A few sentences summing up `transcript` ("Customer: …" / "Agent: …" lines) in the customer's language. */
export async function summariseWithLlm(settings: LlmSettings, transcript: string): Promise<string> {
  const client = await clientFor(settings);
  const completion = await client.chat.completions.create({
    model: settings.model,
    messages: [
      {
        role: "system",
        content:
          "Summarise this customer-service chat in at most four sentences for the next agent: what the customer wants, what was answered, what is still open. Write in the customer's language.",
      },
      { role: "user", content: transcript },
    ],
  });
  const summary = completion.choices[0]?.message.content?.trim();
  if (!summary) throw new Error("The model answered an empty summary.");
  return summary;
}
