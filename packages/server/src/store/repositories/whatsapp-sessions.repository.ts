import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { SessionCredentialRepository, SessionLeaseRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { inboxes, whatsappSessionCredentials, whatsappSessionLeases } from "../schema/index.ts";

/** `now() + ttlMs` on the database's clock. */
const expiryIn = (ttlMs: number) => {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of ms, not ${ttlMs}.`);
  return sql`now() + make_interval(secs => ${ttlMs / 1000})`;
};

export function sessionLeaseRepository(db: Database): SessionLeaseRepository {
  return {
    async acquire(inboxId, nodeId, ttlMs) {
      // One statement: the conflict update only applies to a lapsed lease or our own, so of
      // nodes racing for a lease exactly one row comes back.
      const rows = await db
        .insert(whatsappSessionLeases)
        .values({ inboxId, ownerNode: nodeId, expiresAt: expiryIn(ttlMs), acquiredAt: sql`now()` })
        .onConflictDoUpdate({
          target: whatsappSessionLeases.inboxId,
          set: {
            ownerNode: nodeId,
            expiresAt: expiryIn(ttlMs),
            acquiredAt: sql`case when ${whatsappSessionLeases.ownerNode} = ${nodeId} then ${whatsappSessionLeases.acquiredAt} else now() end`,
            renewedAt: sql`now()`,
          },
          setWhere: or(eq(whatsappSessionLeases.ownerNode, nodeId), lt(whatsappSessionLeases.expiresAt, sql`now()`)),
        })
        .returning({ ownerNode: whatsappSessionLeases.ownerNode });
      return rows[0]?.ownerNode === nodeId;
    },
    async renew(nodeId, inboxIds, ttlMs) {
      if (inboxIds.length === 0) return [];
      // A lapsed lease is still ours while no other node took it: renewing it then is safe.
      const rows = await db
        .update(whatsappSessionLeases)
        .set({ expiresAt: expiryIn(ttlMs), renewedAt: sql`now()` })
        .where(and(eq(whatsappSessionLeases.ownerNode, nodeId), inArray(whatsappSessionLeases.inboxId, inboxIds)))
        .returning({ inboxId: whatsappSessionLeases.inboxId });
      return rows.map((row) => row.inboxId);
    },
    async release(inboxId, nodeId) {
      await db.delete(whatsappSessionLeases).where(and(eq(whatsappSessionLeases.inboxId, inboxId), eq(whatsappSessionLeases.ownerNode, nodeId)));
    },
    async find(inboxId) {
      const [row] = await db
        .select({ inboxId: whatsappSessionLeases.inboxId, ownerNode: whatsappSessionLeases.ownerNode, expiresAt: whatsappSessionLeases.expiresAt })
        .from(whatsappSessionLeases)
        .where(eq(whatsappSessionLeases.inboxId, inboxId));
      return row ?? null;
    },
    async unowned(limit) {
      const rows = await db
        .select({ inboxId: inboxes.id })
        .from(inboxes)
        .leftJoin(whatsappSessionLeases, eq(whatsappSessionLeases.inboxId, inboxes.id))
        .where(and(eq(inboxes.provider, "whatsapp_web"), or(isNull(whatsappSessionLeases.inboxId), lt(whatsappSessionLeases.expiresAt, sql`now()`))))
        .orderBy(asc(inboxes.id))
        .limit(limit);
      return rows.map((row) => row.inboxId);
    },
  };
}

export function sessionCredentialRepository(db: Database): SessionCredentialRepository {
  return {
    async read(inboxId, keys) {
      if (keys.length === 0) return new Map();
      const rows = await db
        .select({ key: whatsappSessionCredentials.key, value: whatsappSessionCredentials.value })
        .from(whatsappSessionCredentials)
        .where(and(eq(whatsappSessionCredentials.inboxId, inboxId), inArray(whatsappSessionCredentials.key, [...new Set(keys)])));
      return new Map(rows.map((row) => [row.key, row.value]));
    },
    async write(inboxId, changes) {
      const upserts = [...changes].flatMap(([key, value]) => (value === null ? [] : [{ inboxId, key, value }]));
      const deletions = [...changes].flatMap(([key, value]) => (value === null ? [key] : []));
      if (upserts.length > 0) {
        await db
          .insert(whatsappSessionCredentials)
          .values(upserts)
          .onConflictDoUpdate({
            target: [whatsappSessionCredentials.inboxId, whatsappSessionCredentials.key],
            set: { value: sql`excluded.value`, updatedAt: sql`now()` },
          });
      }
      if (deletions.length > 0) {
        await db
          .delete(whatsappSessionCredentials)
          .where(and(eq(whatsappSessionCredentials.inboxId, inboxId), inArray(whatsappSessionCredentials.key, deletions)));
      }
    },
    async clear(inboxId) {
      await db.delete(whatsappSessionCredentials).where(eq(whatsappSessionCredentials.inboxId, inboxId));
    },
  };
}
