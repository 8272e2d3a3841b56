import { and, desc, eq, ilike, lt, or, sql } from "drizzle-orm";
import type { ContactRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { contacts } from "../schema/index.ts";
import { toContact } from "./mappers.ts";
import { likePattern } from "./search.ts";

export function contactRepository(db: Database): ContactRepository {
  return {
    async upsertVisitor(input) {
      // ON CONFLICT keeps concurrent first messages from creating two contacts for one visitor.
      const [row] = await db
        .insert(contacts)
        .values(input)
        .onConflictDoUpdate({
          target: [contacts.workspaceId, contacts.visitorId],
          set: {
            name: sql`coalesce(excluded.name, ${contacts.name})`,
            email: sql`coalesce(excluded.email, ${contacts.email})`,
            updatedAt: sql`now()`,
          },
        })
        .returning();
      return toContact(row!);
    },
    async findById(workspaceId, id) {
      const [row] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
      return row ? toContact(row) : null;
    },
    async search(workspaceId, { q, limit, beforeId }) {
      const conditions = [eq(contacts.workspaceId, workspaceId)];
      if (beforeId) conditions.push(lt(contacts.id, beforeId));
      const text = q?.trim();
      if (text) {
        const pattern = likePattern(text);
        conditions.push(
          or(
            ilike(contacts.name, pattern),
            ilike(contacts.email, pattern),
            ilike(contacts.phone, pattern),
            sql`to_tsvector('simple', coalesce(${contacts.name}, '') || ' ' || coalesce(${contacts.email}, '') || ' ' || coalesce(${contacts.phone}, '')) @@ plainto_tsquery('simple', ${text})`,
          )!,
        );
      }
      const rows = await db.select().from(contacts).where(and(...conditions)).orderBy(desc(contacts.id)).limit(limit);
      return rows.map(toContact);
    },
    async touchLastSeen(workspaceId, id, at) {
      await db.update(contacts).set({ lastSeenAt: at }).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
    },
  };
}
