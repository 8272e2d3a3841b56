import { notFound } from "../errors.ts";
import type { CustomerMessage } from "../context/context.port.ts";
import type { Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { sentimentLabelOf } from "../intelligence/sentiment.ts";
import { proactiveActions } from "./proactive-actions.ts";
import type { SuggestionAnswer, SuggestionEngine } from "./suggestions.ts";

/** The suggestions panel: the engine's replies plus what the customer's latest message carries. */
export interface SuggestionsView extends SuggestionAnswer {
  intent: { name: string; confidence: number | null } | null;
  sentiment: { label: "negative" | "neutral" | "positive"; score: number } | null;
  proactiveActions: string[];
}

export interface SuggestionDependencies {
  store: Store;
  /** The workspace's engine (offline by default, its LLM when configured, falling back to offline). */
  engineFor(workspaceId: string): Promise<SuggestionEngine>;
  now(): Date;
}

/**
 * The customer's turn: the inbound messages after the business's last word, oldest first; when
 * the business spoke last, the customer's last message alone (so an answered chat still gets
 * suggestions for its last question).
 */
export function customerTurn(newestFirst: readonly (CustomerMessage & { direction: "inbound" | "outbound" })[]): CustomerMessage[] {
  const waiting: CustomerMessage[] = [];
  for (const message of newestFirst) {
    if (message.direction === "outbound") break;
    waiting.unshift(message);
  }
  if (waiting.length > 0) return waiting;
  const last = newestFirst.find((message) => message.direction === "inbound");
  return last ? [last] : [];
}

/**
 * `POST …/ai/suggestions {conversation_id}`: suggested replies to the customer's latest turn,
 * its intent and sentiment (null until enriched), proactive actions and relevant articles.
 * Throws `conversations.not_found`.
 */
export function suggestionUseCases(deps: SuggestionDependencies) {
  return {
    async suggest(membership: Membership, conversationId: string): Promise<SuggestionsView> {
      const workspaceId = membership.workspace.id;
      const subject = await deps.store.context.findSubject(workspaceId, conversationId);
      if (!subject) throw notFound("conversations");
      const recent = await deps.store.context.latestMessages(workspaceId, conversationId, 20);
      const turn = customerTurn(recent);
      const latest = turn[turn.length - 1];
      const engine = await deps.engineFor(workspaceId);
      const answer = await engine.suggest({
        workspaceId,
        conversationId,
        customerText: turn.map((message) => message.body ?? "").join("\n"),
        language: null,
        contact: { name: subject.contact?.name ?? null, phone: subject.contact?.phone ?? null },
        agent: { name: membership.user.name },
      });
      const intent = latest?.intent ? { name: latest.intent, confidence: null } : null;
      const sentiment = latest?.sentiment != null ? { label: sentimentLabelOf(latest.sentiment), score: latest.sentiment } : null;
      const waitingSince = recent[0]?.direction === "inbound" ? (turn[0]?.at ?? null) : null;
      return {
        ...answer,
        intent,
        sentiment,
        proactiveActions: proactiveActions({
          waitingSeconds: waitingSince ? Math.max(0, Math.round((deps.now().getTime() - waitingSince.getTime()) / 1000)) : null,
          intent: intent?.name ?? null,
          sentiment: sentiment?.score ?? null,
          assigned: subject.assignee !== null,
          hasSuggestion: answer.suggestions.length > 0,
        }),
      };
    },
  };
}

export type SuggestionUseCases = ReturnType<typeof suggestionUseCases>;
