import { and, asc, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { newId } from "../../domain/ids.ts";
import { DomainError } from "../../domain/errors.ts";
import type { KnowledgeRepository } from "../../domain/knowledge/knowledge.port.ts";
import { isUniqueViolation, type Database } from "../database.ts";
import { articles, cannedResponses, contacts, conversations, labels } from "../schema/index.ts";
import { likePattern, prefixTsQuery } from "./search.ts";

/** The article's own text-search configuration, from its language (see textSearchConfig). */
export const articleConfig = sql`(case ${articles.language} when 'id' then 'indonesian' when 'en' then 'english' else 'simple' end)::regconfig`;
const articleText = sql`${articles.title} || ' ' || ${articles.body}`;

function taken<T>(write: Promise<T>, error: () => DomainError): Promise<T> {
  return write.catch((cause: unknown) => {
    if (isUniqueViolation(cause)) throw error();
    throw cause;
  });
}

const shortcodeTaken = () => new DomainError("canned.shortcode_taken", "Another canned response has this shortcode.", { field: "shortcode" });
const labelTaken = () => new DomainError("labels.name_taken", "Another label has this name.", { field: "name" });

export function knowledgeRepository(db: Database): KnowledgeRepository {
  const now = sql`now()`;
  return {
    async listCannedResponses(workspaceId, { q }) {
      const conditions: SQL[] = [eq(cannedResponses.workspaceId, workspaceId)];
      if (q) conditions.push(or(ilike(cannedResponses.shortcode, likePattern(q.replace(/^\//, ""))), ilike(cannedResponses.content, likePattern(q)))!);
      return db
        .select()
        .from(cannedResponses)
        .where(and(...conditions))
        .orderBy(asc(cannedResponses.shortcode));
    },
    async findCannedResponse(workspaceId, id) {
      const [row] = await db
        .select()
        .from(cannedResponses)
        .where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)));
      return row ?? null;
    },
    async insertCannedResponse(workspaceId, id, draft) {
      const [row] = await taken(
        db
          .insert(cannedResponses)
          .values({ id, workspaceId, ...draft })
          .returning(),
        shortcodeTaken,
      );
      return row!;
    },
    async updateCannedResponse(workspaceId, id, draft) {
      const [row] = await taken(
        db
          .update(cannedResponses)
          .set({ ...draft, updatedAt: now })
          .where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)))
          .returning(),
        shortcodeTaken,
      );
      return row ?? null;
    },
    async deleteCannedResponse(workspaceId, id) {
      const rows = await db
        .delete(cannedResponses)
        .where(and(eq(cannedResponses.workspaceId, workspaceId), eq(cannedResponses.id, id)))
        .returning({ id: cannedResponses.id });
      return rows.length > 0;
    },

    listLabels: (workspaceId) => db.select().from(labels).where(eq(labels.workspaceId, workspaceId)).orderBy(asc(labels.name)),
    async findLabel(workspaceId, id) {
      const [row] = await db
        .select()
        .from(labels)
        .where(and(eq(labels.workspaceId, workspaceId), eq(labels.id, id)));
      return row ?? null;
    },
    async insertLabel(workspaceId, id, draft) {
      const [row] = await taken(
        db
          .insert(labels)
          .values({ id, workspaceId, ...draft })
          .returning(),
        labelTaken,
      );
      return row!;
    },
    async ensureLabels(workspaceId, names) {
      if (names.length === 0) return;
      await db
        .insert(labels)
        .values(names.map((name) => ({ id: newId(), workspaceId, name })))
        .onConflictDoNothing();
    },
    async updateLabel(workspaceId, id, draft) {
      return taken(
        db.transaction(async (tx) => {
          const [before] = await tx
            .select()
            .from(labels)
            .where(and(eq(labels.workspaceId, workspaceId), eq(labels.id, id)))
            .for("update");
          if (!before) return null;
          const [row] = await tx
            .update(labels)
            .set({ ...draft, updatedAt: now })
            .where(eq(labels.id, id))
            .returning();
          if (draft.name !== undefined && draft.name !== before.name) {
            await renameEverywhere(tx as unknown as Database, workspaceId, before.name, draft.name);
          }
          return row ?? null;
        }),
        labelTaken,
      );
    },
    async deleteLabel(workspaceId, id) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .delete(labels)
          .where(and(eq(labels.workspaceId, workspaceId), eq(labels.id, id)))
          .returning();
        if (!row) return false;
        await renameEverywhere(tx as unknown as Database, workspaceId, row.name, null);
        return true;
      });
    },
    async setConversationLabels(workspaceId, conversationId, names) {
      const [row] = await db
        .update(conversations)
        .set({ labels: names, updatedAt: now })
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)))
        .returning({ labels: conversations.labels });
      return row?.labels ?? null;
    },
    async setContactLabels(workspaceId, contactId, names) {
      const [row] = await db
        .update(contacts)
        .set({ labels: names, updatedAt: now })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
        .returning({ labels: contacts.labels });
      return row?.labels ?? null;
    },

    async listArticles(workspaceId, { q, language, limit }) {
      const conditions: SQL[] = [eq(articles.workspaceId, workspaceId)];
      if (language) conditions.push(eq(articles.language, language));
      const query = q ? prefixTsQuery(q) : null;
      if (!query) {
        return db
          .select()
          .from(articles)
          .where(and(...conditions))
          .orderBy(desc(articles.updatedAt), desc(articles.id))
          .limit(limit);
      }
      // Prefix words on the language-agnostic index, or the stemmed words in the article's language.
      const simple = sql`to_tsvector('simple', ${articleText}) @@ to_tsquery('simple', ${query})`;
      const stemmed = sql`to_tsvector(${articleConfig}, ${articleText}) @@ websearch_to_tsquery(${articleConfig}, ${q})`;
      const rank = sql`ts_rank(to_tsvector('simple', ${articleText}), to_tsquery('simple', ${query}))`;
      return db
        .select()
        .from(articles)
        .where(and(...conditions, or(simple, stemmed)))
        .orderBy(desc(rank), desc(articles.updatedAt))
        .limit(limit);
    },
    async findArticle(workspaceId, id) {
      const [row] = await db
        .select()
        .from(articles)
        .where(and(eq(articles.workspaceId, workspaceId), eq(articles.id, id)));
      return row ?? null;
    },
    async insertArticle(workspaceId, id, draft) {
      const [row] = await db
        .insert(articles)
        .values({ id, workspaceId, ...draft })
        .returning();
      return row!;
    },
    async updateArticle(workspaceId, id, draft) {
      const [row] = await db
        .update(articles)
        .set({ ...draft, updatedAt: now })
        .where(and(eq(articles.workspaceId, workspaceId), eq(articles.id, id)))
        .returning();
      return row ?? null;
    },
    async deleteArticle(workspaceId, id) {
      const rows = await db
        .delete(articles)
        .where(and(eq(articles.workspaceId, workspaceId), eq(articles.id, id)))
        .returning({ id: articles.id });
      return rows.length > 0;
    },
  };
}

/** Replaces label `from` by `to` (or removes it when null) on every contact and conversation of the workspace. */
async function renameEverywhere(db: Database, workspaceId: string, from: string, to: string | null): Promise<void> {
  const carrying = sql`labels @> ${JSON.stringify([from])}::jsonb`;
  // Rebuilds the array in its order, `from` replaced by `to` (dropped when null), each name once.
  const rewritten = sql`(select coalesce(jsonb_agg(name order by first_position), '[]'::jsonb) from (
    select name, min(position) as first_position
    from jsonb_array_elements_text(labels) with ordinality as element(value, position),
      lateral (select case when value = ${from} then ${to}::text else value end as name) as renamed
    where name is not null group by name) as names)`;
  await db.execute(sql`update contacts set labels = ${rewritten}, updated_at = now() where workspace_id = ${workspaceId} and ${carrying}`);
  await db.execute(sql`update conversations set labels = ${rewritten}, updated_at = now() where workspace_id = ${workspaceId} and ${carrying}`);
}
