import { textSearchConfig } from "../knowledge/knowledge.ts";
import { queryWords } from "./query-words.ts";
import type { SuggestionRetrieval } from "./retrieval.port.ts";
import { fillVariables, type Suggestion, type SuggestionAnswer, type SuggestionEngine, type SuggestionRequest } from "./suggestions.ts";

/** How much each source's rank weighs: the workspace's own canned answers first, then articles, then agents' past replies. */
const weights = { canned_response: 1, article: 0.85, past_reply: 0.7 } as const;

/** An article as a reply: its first paragraph, at most about 400 characters, cut at a sentence. */
export function articleExcerpt(body: string): string {
  const paragraph = body.trim().split(/\n\s*\n/)[0] ?? "";
  if (paragraph.length <= 400) return paragraph;
  const cut = paragraph.slice(0, 400);
  const sentenceEnd = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("! "), cut.lastIndexOf("? "));
  return sentenceEnd > 100 ? cut.slice(0, sentenceEnd + 1) : `${cut.trimEnd()}…`;
}

const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * The default engine: PostgreSQL full-text search over canned responses, articles and agents'
 * past replies to similar questions, in the customer's language configuration (both
 * `indonesian` and `english` when unknown, `simple` always), weighted by source, deduplicated
 * by text, variables filled, best `limit` first with scores scaled to 0..1.
 */
export function offlineEngine(retrieval: SuggestionRetrieval, options: { limit?: number } = {}): SuggestionEngine {
  const limit = options.limit ?? 3;
  return {
    async suggest(request: SuggestionRequest): Promise<SuggestionAnswer> {
      const words = queryWords(request.customerText);
      if (words.length === 0) return { engine: "offline", suggestions: [], articles: [] };
      const language = textSearchConfig(request.language);
      const configs = language === "simple" ? ["indonesian", "english", "simple"] : [language, "simple"];
      const [canned, articles, past] = await Promise.all([
        retrieval.cannedResponses(request.workspaceId, words, configs, limit * 2),
        retrieval.articles(request.workspaceId, words, configs, limit * 2),
        retrieval.pastReplies(request.workspaceId, words, request.conversationId, limit * 2),
      ]);
      const candidates: Suggestion[] = [
        ...canned.map((hit) => ({ text: hit.content, source: { type: "canned_response" as const, id: hit.id }, score: hit.rank * weights.canned_response })),
        ...articles.map((hit) => ({ text: articleExcerpt(hit.body), source: { type: "article" as const, id: hit.id }, score: hit.rank * weights.article })),
        ...past.map((hit) => ({ text: hit.body, source: { type: "past_reply" as const, id: hit.id }, score: hit.rank * weights.past_reply })),
      ].sort((a, b) => b.score - a.score);
      const seen = new Set<string>();
      const suggestions: Suggestion[] = [];
      for (const candidate of candidates) {
        const text = fillVariables(candidate.text, request);
        const key = normalised(text);
        if (key.length === 0 || seen.has(key)) continue;
        seen.add(key);
        suggestions.push({ ...candidate, text });
        if (suggestions.length === limit) break;
      }
      const best = Math.max(...suggestions.map((s) => s.score), ...articles.map((a) => a.rank), Number.EPSILON);
      const scaled = (score: number) => Math.round((score / best) * 1000) / 1000;
      return {
        engine: "offline",
        suggestions: suggestions.map((s) => ({ ...s, score: scaled(s.score) })),
        articles: articles.slice(0, limit).map((a) => ({ id: a.id, title: a.title, score: scaled(a.rank) })),
      };
    },
  };
}
