/**
 * Issue 9's read paths on a workspace of `conversations` × `messagesPerConversation` messages
 * (default 2,000 × 50 = 100,000): the conversation context (first read of a conversation, then
 * cached) and the offline reply suggestions, as use-case calls on the store (no HTTP), p50/p95 in
 * ms. Goals: context p95 ≤ 20 ms, suggestions p95 ≤ 50 ms.
 */
import { contextUseCases } from "../packages/server/src/domain/context/context.usecases.ts";
import { newId } from "../packages/server/src/domain/ids.ts";
import type { Membership } from "../packages/server/src/domain/tenancy/tenancy.ts";
import { offlineEngine } from "../packages/server/src/domain/suggestions/offline-engine.ts";
import { suggestionUseCases } from "../packages/server/src/domain/suggestions/suggestions.usecases.ts";
import { openDatabase } from "../packages/server/src/store/database.ts";
import { articles, cannedResponses, contacts, conversations, inboxes, messages, users, workspaces } from "../packages/server/src/store/schema/index.ts";
import { createStore } from "../packages/server/src/store/store.ts";
import { faqArticles, faqCanned, faqQuestions } from "../packages/server/test/fixtures-faq.ts";

const replies = faqCanned.map((canned) => canned.content.replace("{{contact.name}}", "kak"));

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}

async function timed(times: number[], work: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await work();
  times.push(performance.now() - started);
}

export async function measureConversationIntelligence(options: {
  databaseUrl?: string | undefined;
  conversations: number;
  messagesPerConversation: number;
  samples: number;
}) {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: "memory://" });
  try {
    await database.migrate();
    const { db } = database;
    const store = createStore(db);
    const workspaceId = newId();
    const userId = newId();
    const inboxId = newId();
    await db.insert(workspaces).values({ id: workspaceId, name: "Bench", slug: `bench-${workspaceId}` });
    await db.insert(users).values({ id: userId, name: "Agent", email: `${userId}@example.com`, passwordHash: "x" });
    await db.insert(inboxes).values({ id: inboxId, workspaceId, provider: "web_widget", name: "Website" });
    await db.insert(cannedResponses).values(faqCanned.map((canned) => ({ id: newId(), workspaceId, ...canned })));
    await db.insert(articles).values(faqArticles.map((article) => ({ id: newId(), workspaceId, ...article })));
    const conversationIds: string[] = [];
    const seedStarted = performance.now();
    const start = Date.now() - options.conversations * options.messagesPerConversation * 1000;
    for (let first = 0; first < options.conversations; first += 100) {
      const batch = Array.from({ length: Math.min(100, options.conversations - first) }, (_, index) => first + index);
      const contactRows = batch.map((n) => ({ id: newId(), workspaceId, name: `Customer ${n}`, phone: `+6281${String(n).padStart(8, "0")}` }));
      await db.insert(contacts).values(contactRows);
      const conversationRows = contactRows.map((contact) => ({ id: newId(), workspaceId, inboxId, contactId: contact.id }));
      await db.insert(conversations).values(conversationRows);
      const messageRows = conversationRows.flatMap((conversation, index) =>
        Array.from({ length: options.messagesPerConversation }, (_, m) => {
          const at = new Date(start + ((first + index) * options.messagesPerConversation + m) * 1000);
          const inbound = m % 2 === 0;
          const body = inbound ? faqQuestions[(first + index + m) % faqQuestions.length]![0] : replies[(first + index + m) % replies.length]!;
          return {
            id: newId(at),
            workspaceId,
            inboxId,
            conversationId: conversation.id,
            direction: inbound ? ("inbound" as const) : ("outbound" as const),
            senderType: inbound ? ("contact" as const) : ("agent" as const),
            body,
            status: "sent" as const,
            sentiment: inbound ? ((m % 5) - 2) / 2 : null,
            createdAt: at,
          };
        }),
      );
      for (let offset = 0; offset < messageRows.length; offset += 1000) await db.insert(messages).values(messageRows.slice(offset, offset + 1000));
      conversationIds.push(...conversationRows.map((row) => row.id));
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const membership = {
      workspace: { id: workspaceId, name: "Bench", slug: "bench", status: "active", createdAt: new Date() },
      user: { id: userId, name: "Agent", email: "a@example.com", locale: "en", createdAt: new Date() },
      role: "agent",
    } satisfies Membership;
    const context = contextUseCases({ store });
    const offline = offlineEngine(store.suggestionRetrieval);
    const suggestions = suggestionUseCases({ store, engineFor: async () => offline, now: () => new Date() });
    const pick = (n: number) => conversationIds[(n * 7919) % conversationIds.length]!;
    // Warm-up: query plans and JIT.
    for (let n = 0; n < 20; n++) {
      await context.get(membership, pick(n + options.samples));
      await suggestions.suggest(membership, pick(n + options.samples));
    }
    const contextCold: number[] = [];
    const contextCached: number[] = [];
    const suggest: number[] = [];
    for (let n = 0; n < options.samples; n++) await timed(contextCold, () => context.get(membership, pick(n)));
    for (let n = 0; n < options.samples; n++) await timed(contextCached, () => context.get(membership, pick(n)));
    for (let n = 0; n < options.samples; n++) await timed(suggest, () => suggestions.suggest(membership, pick(n)));
    // Where a suggestion's time goes: each retrieval alone, for one question's words.
    const words = ["ongkos", "kirim", "bekasi", "berapa"];
    const parts = { canned: [] as number[], articles: [] as number[], past_replies: [] as number[] };
    for (let n = 0; n < 30; n++) {
      await timed(parts.canned, () => store.suggestionRetrieval.cannedResponses(workspaceId, words, ["indonesian", "english", "simple"], 6));
      await timed(parts.articles, () => store.suggestionRetrieval.articles(workspaceId, words, ["indonesian", "english", "simple"], 6));
      await timed(parts.past_replies, () => store.suggestionRetrieval.pastReplies(workspaceId, words, pick(n), 6));
    }
    const ms = (samples: number[]) => {
      const { p50, p95 } = percentiles(samples);
      return { p50_ms: p50, p95_ms: p95 };
    };
    return {
      engine: options.databaseUrl ? "postgres" : "pglite",
      messages: options.conversations * options.messagesPerConversation,
      seed_seconds: Math.round(seedSeconds * 10) / 10,
      context_first_read: ms(contextCold),
      context_cached: ms(contextCached),
      suggestions_offline: ms(suggest),
      suggestion_parts: { canned: ms(parts.canned), articles: ms(parts.articles), past_replies: ms(parts.past_replies) },
    };
  } finally {
    await database.close();
  }
}
