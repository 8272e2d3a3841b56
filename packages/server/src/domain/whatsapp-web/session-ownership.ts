import type { SessionLeaseRepository } from "../ports.ts";

/** How a node keeps and takes WhatsApp Web sessions; durations in ms. */
export interface SessionOwnershipOptions {
  leases: SessionLeaseRepository;
  /** This node's id, unique among the nodes sharing the database. */
  nodeId: string;
  /** How long a lease lasts unless renewed: how soon a dead node's sessions move (issue: ≤ 30 s). */
  leaseTtlMs: number;
  /** Most sessions this node runs at once (`WHATSAPP_MAX_SESSIONS`). */
  maxSessions: number;
  /** Start the session of an inbox this node now holds. A throw releases the lease again. */
  onAcquired(inboxId: string): Promise<void>;
  /** Stop the session of an inbox this node lost (another node holds it now): at once, sending nothing more. */
  onLost(inboxId: string): Promise<void>;
}

/** What one ownership round did. */
export interface OwnershipRound {
  /** Held before the round and renewed. */
  renewed: string[];
  /** Held before the round and taken over by another node meanwhile. */
  lost: string[];
  /** Taken in this round. */
  acquired: string[];
}

/**
 * One node's side of "one owner per session across nodes" (ARCHITECTURE.md, "Topology"): each
 * `round()` renews the leases this node holds (stopping sessions whose lease another node took),
 * then takes unowned WhatsApp Web sessions up to `maxSessions`. Call it every third of the lease
 * time or so, so a live node never lets a lease lapse and a dead node's sessions move within
 * about one lease time. `release()` hands a session back on a clean stop. Rounds do not overlap:
 * a call while one runs waits for it.
 */
export function sessionOwnership(options: SessionOwnershipOptions) {
  const { leases, nodeId, leaseTtlMs, maxSessions } = options;
  if (!Number.isInteger(maxSessions) || maxSessions < 0) throw new RangeError(`maxSessions must be an integer ≥ 0, not ${maxSessions}.`);
  const held = new Set<string>();
  let running: Promise<OwnershipRound> | undefined;

  async function runRound(): Promise<OwnershipRound> {
    const before = [...held];
    const renewed = await leases.renew(nodeId, before, leaseTtlMs);
    const kept = new Set(renewed);
    const lost = before.filter((inboxId) => !kept.has(inboxId));
    for (const inboxId of lost) {
      held.delete(inboxId);
      await options.onLost(inboxId);
    }
    const acquired: string[] = [];
    const room = maxSessions - held.size;
    if (room > 0) {
      for (const inboxId of await leases.unowned(room)) {
        if (!(await leases.acquire(inboxId, nodeId, leaseTtlMs))) continue;
        held.add(inboxId);
        try {
          await options.onAcquired(inboxId);
          acquired.push(inboxId);
        } catch {
          // A session that cannot start here may start on another node.
          held.delete(inboxId);
          await leases.release(inboxId, nodeId);
        }
      }
    }
    return { renewed, lost, acquired };
  }

  return {
    /** Renews, notices losses, takes free sessions. Rethrows the database's error (the next round retries). */
    round(): Promise<OwnershipRound> {
      const next = (running ?? Promise.resolve()).catch(() => undefined).then(runRound);
      running = next;
      return next;
    },
    /** Gives a session up (stopped, deleted or logged out here). */
    async release(inboxId: string): Promise<void> {
      held.delete(inboxId);
      await leases.release(inboxId, nodeId);
    },
    /** The inboxes whose sessions this node holds. */
    held: (): string[] => [...held],
    /** Whether this node holds the inbox's session. */
    holds: (inboxId: string): boolean => held.has(inboxId),
  };
}

export type SessionOwnership = ReturnType<typeof sessionOwnership>;
