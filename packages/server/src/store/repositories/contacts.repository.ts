import { and, asc, desc, eq, ilike, inArray, lt, or, sql } from "drizzle-orm";
import type { Contact } from "../../domain/contacts/contact.ts";
import type { ContactRepository, PhoneContactDraft } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { contacts } from "../schema/index.ts";
import { toContact } from "./mappers.ts";

type ContactRow = typeof contacts.$inferSelect;
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
    async findByPhones(workspaceId, phones) {
      if (phones.length === 0) return [];
      const rows = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.phone, phones)))
        .orderBy(asc(contacts.createdAt), asc(contacts.id));
      return rows.map(toContact);
    },
    async upsertManyByPhone(workspaceId, entries) {
      if (entries.length === 0) return new Map();
      const formsOf = (entry: PhoneContactDraft) => new Set([entry.phone, ...entry.candidates]);
      const forms = [...new Set(entries.flatMap((entry) => [...formsOf(entry)]))];
      const findExisting = () =>
        db
          .select()
          .from(contacts)
          .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.phone, forms)))
          .orderBy(asc(contacts.createdAt), asc(contacts.id));
      // Oldest first, so every form of one person resolves to the contact that was there first.
      const matching = (rows: ContactRow[], entry: PhoneContactDraft) => {
        const entryForms = formsOf(entry);
        return rows.find((row) => row.phone !== null && entryForms.has(row.phone));
      };
      let rows = await findExisting();
      // One new contact per person: an entry that is a form of another missing entry waits for it.
      const missing: PhoneContactDraft[] = [];
      for (const entry of entries) {
        if (matching(rows, entry) || missing.some((other) => formsOf(other).has(entry.phone))) continue;
        missing.push(entry);
      }
      if (missing.length > 0) {
        // Sorted, so two transactions inserting overlapping numbers lock them in the same order.
        // Racing inserts of one number: the unique (workspace, phone) key lets one win, and the
        // others read the winner.
        const inserted = await db
          .insert(contacts)
          .values(missing.sort((a, b) => (a.phone < b.phone ? -1 : 1)).map(({ id, phone, name }) => ({ id, workspaceId, phone, name })))
          .onConflictDoNothing()
          .returning();
        rows = inserted.length === missing.length ? [...rows, ...inserted] : await findExisting();
      }
      const result = new Map<string, Contact>();
      for (const entry of entries) {
        let row = matching(rows, entry);
        if (!row) throw new Error(`The contact for ${entry.phone} was neither found nor created.`);
        if (!row.name && entry.name) {
          const [named] = await db.update(contacts).set({ name: entry.name, updatedAt: sql`now()` }).where(eq(contacts.id, row.id)).returning();
          rows = rows.map((candidate) => (candidate.id === named!.id ? named! : candidate));
          row = named!;
        }
        result.set(entry.phone, toContact(row));
      }
      return result;
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
