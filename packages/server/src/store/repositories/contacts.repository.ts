import { and, asc, desc, eq, ilike, inArray, lt, or, sql } from "drizzle-orm";
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
    async upsertByPhone({ id, workspaceId, phone, candidates, name }) {
      const forms = [...new Set([phone, ...candidates])];
      const findExisting = async () => {
        const [row] = await db
          .select()
          .from(contacts)
          .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.phone, forms)))
          .orderBy(asc(contacts.createdAt))
          .limit(1);
        return row;
      };
      let row = await findExisting();
      if (!row) {
        // Two deliveries for a new number can race: the unique (workspace, phone) key lets one
        // insert win, and the other reads the winner.
        [row] = await db.insert(contacts).values({ id, workspaceId, phone, name }).onConflictDoNothing().returning();
        row ??= await findExisting();
      } else if (!row.name && name) {
        [row] = await db.update(contacts).set({ name, updatedAt: sql`now()` }).where(eq(contacts.id, row.id)).returning();
      }
      return toContact(row!);
    },
    async findById(workspaceId, id) {
      const [row] = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
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
      const rows = await db
        .select()
        .from(contacts)
        .where(and(...conditions))
        .orderBy(desc(contacts.id))
        .limit(limit);
      return rows.map(toContact);
    },
    async touchLastSeen(workspaceId, id, at) {
      await db
        .update(contacts)
        .set({ lastSeenAt: at })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
    },
  };
}
