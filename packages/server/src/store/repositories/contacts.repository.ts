import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { DomainError } from "../../domain/errors.ts";
import type { ContactFilter, ContactRepository, PhoneContactDraft } from "../../domain/ports.ts";
import { isUniqueViolation, type Database } from "../database.ts";
import { campaignRecipients, contacts } from "../schema/index.ts";
import { toContact } from "./mappers.ts";
import { likePattern } from "./search.ts";

type ContactRow = typeof contacts.$inferSelect;

/** Rows per INSERT of an import: 9 parameters each, far below PostgreSQL's 65,535 per statement. */
const importBatchSize = 1000;

/** The WHERE conditions of a contact list or export (the workspace's own condition aside). */
function filterConditions({ q, labels, optedOut }: ContactFilter): SQL[] {
  const conditions: SQL[] = [];
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
  // Containment uses the GIN index on labels.
  if (labels?.length) conditions.push(sql`${contacts.labels} @> ${JSON.stringify(labels)}::jsonb`);
  if (optedOut !== undefined) conditions.push(optedOut ? isNotNull(contacts.optedOutAt) : isNull(contacts.optedOutAt));
  return conditions;
}

/** Runs a write that may give a contact a phone another contact has: `contacts.phone_taken` then. */
async function phoneUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("contacts.phone_taken", "Another contact has this phone number.", { field: "phone" });
    throw error;
  }
}

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
      const formsOf = (entry: PhoneContactDraft) => [entry.phone, ...entry.candidates];
      const forms = [...new Set(entries.flatMap(formsOf))];
      const findExisting = () =>
        db
          .select()
          .from(contacts)
          .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.phone, forms)))
          .orderBy(asc(contacts.createdAt), asc(contacts.id));
      // Every form of one person resolves to the contact that was there first: rows come oldest
      // first, and a phone keeps the first row seen under it. Lookups by phone, so a batch of
      // thousands (a history sync) costs a pass over it, not a scan of the rows per entry.
      const indexed = (rows: ContactRow[]) => {
        const index = new Map<string, { row: ContactRow; age: number }>();
        rows.forEach((row, age) => {
          if (row.phone !== null && !index.has(row.phone)) index.set(row.phone, { row, age });
        });
        return index;
      };
      const matching = (entry: PhoneContactDraft): ContactRow | undefined => {
        let oldest: { row: ContactRow; age: number } | undefined;
        for (const form of formsOf(entry)) {
          const found = byPhone.get(form);
          if (found && (!oldest || found.age < oldest.age)) oldest = found;
        }
        return oldest?.row;
      };
      let rows = await findExisting();
      let byPhone = indexed(rows);
      // One new contact per person: an entry that is a form of another missing entry waits for it.
      const missing: PhoneContactDraft[] = [];
      const missingForms = new Set<string>();
      for (const entry of entries) {
        if (matching(entry) || missingForms.has(entry.phone)) continue;
        missing.push(entry);
        for (const form of formsOf(entry)) missingForms.add(form);
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
        byPhone = indexed(rows);
      }
      // A contact without a name takes the first one an entry of theirs carries, in one statement.
      const names = new Map<string, string>();
      const resolved = entries.map((entry) => {
        const row = matching(entry);
        if (!row) throw new Error(`The contact for ${entry.phone} was neither found nor created.`);
        if (!row.name && entry.name && !names.has(row.id)) names.set(row.id, entry.name);
        return { phone: entry.phone, row };
      });
      const named = new Map<string, ContactRow>();
      if (names.size > 0) {
        const ids = [...names.keys()];
        const nameOf = sql`(select named.name from unnest(${sql.param(ids)}::uuid[], ${sql.param([...names.values()])}::text[]) as named(id, name) where named.id = ${contacts.id})`;
        const updated = await db
          .update(contacts)
          .set({ name: nameOf, updatedAt: sql`now()` })
          .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, ids)))
          .returning();
        for (const row of updated) named.set(row.id, row);
      }
      return new Map(resolved.map(({ phone, row }) => [phone, toContact(named.get(row.id) ?? row)]));
    },
    async findById(workspaceId, id) {
      const [row] = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
      return row ? toContact(row) : null;
    },
    async search(workspaceId, { limit, beforeId, ...filter }) {
      const conditions = [eq(contacts.workspaceId, workspaceId), ...filterConditions(filter)];
      if (beforeId) conditions.push(lt(contacts.id, beforeId));
      const rows = await db
        .select()
        .from(contacts)
        .where(and(...conditions))
        .orderBy(desc(contacts.id))
        .limit(limit);
      return rows.map(toContact);
    },
    async customAttributeNames(workspaceId, filter) {
      const rows = await db
        .selectDistinct({ name: sql<string>`jsonb_object_keys(${contacts.customAttributes})` })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), ...filterConditions(filter)));
      return rows.map((row) => row.name).sort();
    },
    async insert(input) {
      const [row] = await phoneUnique(() => db.insert(contacts).values(input).returning());
      return toContact(row!);
    },
    async update(workspaceId, id, changes) {
      const [row] = await phoneUnique(() =>
        db
          .update(contacts)
          .set({ ...changes, updatedAt: sql`now()` })
          .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
          .returning(),
      );
      return row ? toContact(row) : null;
    },
    async setOptOut(workspaceId, id, optOut) {
      const own = and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id));
      // Only a change of state writes: the first opt-out's time and source are what counts.
      const [changed] = await db
        .update(contacts)
        .set(
          optOut
            ? { optedOutAt: optOut.at, optOutSource: optOut.source, updatedAt: sql`now()` }
            : { optedOutAt: null, optOutSource: null, updatedAt: sql`now()` },
        )
        .where(and(own, optOut ? isNull(contacts.optedOutAt) : isNotNull(contacts.optedOutAt)))
        .returning();
      if (changed) return { contact: toContact(changed), changed: true };
      const [row] = await db.select().from(contacts).where(own);
      return row ? { contact: toContact(row), changed: false } : null;
    },
    async stampCampaignOptOut(workspaceId, contactId, at, sentSince) {
      const stamped = await db
        .update(campaignRecipients)
        .set({ optedOutAt: at, updatedAt: sql`now()` })
        .where(
          and(
            eq(campaignRecipients.workspaceId, workspaceId),
            eq(campaignRecipients.contactId, contactId),
            gte(campaignRecipients.sentAt, sentSince),
            isNull(campaignRecipients.optedOutAt),
          ),
        )
        .returning({ id: campaignRecipients.id });
      return stamped.length;
    },
    async importMany(workspaceId, entries) {
      let created = 0;
      let updated = 0;
      for (let start = 0; start < entries.length; start += importBatchSize) {
        const batch = entries.slice(start, start + importBatchSize).sort((a, b) => (a.phone < b.phone ? -1 : 1));
        const rows = await db
          .insert(contacts)
          .values(
            batch.map((entry) => ({
              id: entry.id,
              workspaceId,
              phone: entry.phone,
              name: entry.name,
              email: entry.email,
              labels: entry.labels,
              customAttributes: entry.customAttributes,
              optedOutAt: entry.optedOutAt,
              optOutSource: entry.optedOutAt ? ("import" as const) : null,
            })),
          )
          .onConflictDoUpdate({
            target: [contacts.workspaceId, contacts.phone],
            set: {
              name: sql`coalesce(excluded.name, ${contacts.name})`,
              email: sql`coalesce(excluded.email, ${contacts.email})`,
              labels: sql`(select coalesce(jsonb_agg(label order by position), '[]'::jsonb) from (select label, min(position) as position from jsonb_array_elements_text(${contacts.labels} || excluded.labels) with ordinality as element(label, position) group by label) as merged)`,
              customAttributes: sql`${contacts.customAttributes} || excluded.custom_attributes`,
              optOutSource: sql`case when ${contacts.optedOutAt} is null then excluded.opt_out_source else ${contacts.optOutSource} end`,
              optedOutAt: sql`coalesce(${contacts.optedOutAt}, excluded.opted_out_at)`,
              updatedAt: sql`now()`,
            },
          })
          // xmax is 0 on a freshly inserted row version and set on one an ON CONFLICT updated.
          .returning({ inserted: sql<boolean>`(xmax = 0)` });
        for (const row of rows) {
          if (row.inserted) created++;
          else updated++;
        }
      }
      return { created, updated };
    },
    async touchLastSeen(workspaceId, id, at) {
      await db
        .update(contacts)
        .set({ lastSeenAt: at })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
    },
  };
}
