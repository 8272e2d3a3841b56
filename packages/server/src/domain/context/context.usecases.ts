import { notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { ContextSubject } from "./context.port.ts";
import { type ConversationMetrics, conversationMetrics } from "./conversation-metrics.ts";

/** How many of the customer's latest scored messages the sentiment trend shows. */
export const sentimentTrendLength = 10;

/** The context panel of a conversation: its figures, the customer, the business side. */
export interface ConversationContext {
  conversation: ConversationMetrics;
  customer: {
    name: string | null;
    phone: string | null;
    firstContactAt: Date | null;
    interactionCount: number;
    sentimentTrend: { at: Date; score: number }[];
  };
  business: { inbox: ContextSubject["inbox"]; assignee: ContextSubject["assignee"]; labels: string[]; customAttributes: Record<string, unknown> };
}

export interface ContextDependencies {
  store: Store;
  /** Entries kept per node (least recently used dropped); default 5,000. */
  cacheEntries?: number;
}

/**
 * `GET …/conversations/{id}/context`. One indexed read finds the conversation and its version
 * (new messages and profile edits change it); the figures are recomputed only when the version
 * moved, so a cache entry is never stale and needs no invalidation message between nodes.
 * Throws `conversations.not_found`.
 */
export function contextUseCases(deps: ContextDependencies) {
  const capacity = deps.cacheEntries ?? 5000;
  const cache = new Map<string, { version: string; context: ConversationContext }>();
  const reads = deps.store.context;

  async function compute(workspaceId: string, subject: ContextSubject): Promise<ConversationContext> {
    const contact = subject.contact;
    const [timeline, interactionCount, sentimentTrend] = await Promise.all([
      reads.timeline(workspaceId, subject.conversationId),
      contact ? reads.interactionCount(workspaceId, contact.id) : Promise.resolve(0),
      contact ? reads.sentimentTrend(workspaceId, contact.id, sentimentTrendLength) : Promise.resolve([]),
    ]);
    return {
      conversation: conversationMetrics(timeline),
      customer: {
        name: contact?.name ?? null,
        phone: contact?.phone ?? null,
        firstContactAt: contact?.createdAt ?? null,
        interactionCount,
        sentimentTrend,
      },
      business: { inbox: subject.inbox, assignee: subject.assignee, labels: subject.labels, customAttributes: contact?.customAttributes ?? {} },
    };
  }

  return {
    async get(membership: Membership, conversationId: string): Promise<ConversationContext> {
      const workspaceId = membership.workspace.id;
      const subject = await reads.findSubject(workspaceId, conversationId);
      if (!subject) throw notFound("conversations");
      const key = `${workspaceId}:${conversationId}`;
      const cached = cache.get(key);
      if (cached && cached.version === subject.version) {
        cache.delete(key);
        cache.set(key, cached);
        return cached.context;
      }
      const context = await compute(workspaceId, subject);
      cache.delete(key);
      cache.set(key, { version: subject.version, context });
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return context;
    },
  };
}

export type ContextUseCases = ReturnType<typeof contextUseCases>;
