/**
 * Live work before background work on the embedded database (issue 10: "agents answering live
 * chats during the campaign notice nothing").
 *
 * PGlite is one connection: every statement and transaction waits for the one before it, first
 * come, first served. When a campaign's writes pile up (a high pacing, a slow machine), an agent's
 * reply would wait behind all of them; at 60 sends/s the queue is mostly empty (measured: live
 * calls waited 0.03 ms on average), so this is a bound for the bad case. Work started inside
 * {@link runAsBackgroundDatabaseWork} (the bulk and background job queues: campaigns,
 * re-enrichment, training) now queues behind live work (HTTP requests, live sends, webhooks,
 * pg-boss itself) and waits only for the statement or transaction already running. A background
 * waiter that has waited {@link backgroundPromotionMs} goes in its arrival order again, so a busy
 * inbox slows a campaign but cannot stop it.
 *
 * PostgreSQL has a pool of connections and its own scheduler, but shares this process's event
 * loop and the machine's cores: there background work's statements and transactions start once
 * no live work is under way in this process, or after a bounded wait ({@link prioritizePool},
 * live-work.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import type pg from "pg";
import { type LiveWork, liveWorkMaxWaitMs } from "../live-work.ts";

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` with every database call it makes, directly or through callbacks and timers it
 * starts, queued behind live work on the embedded database. Resolves or rejects as `work` does.
 */
export function runAsBackgroundDatabaseWork<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller runs inside {@link runAsBackgroundDatabaseWork}. */
export function isBackgroundDatabaseWork(): boolean {
  return background.getStore() === true;
}

/** How long a background waiter may be passed over by live work before it takes its turn in arrival order, ms. */
export const backgroundPromotionMs = 250;

interface Waiter {
  background: boolean;
  queuedAtMs: number;
  grant(): void;
}

/**
 * A mutex whose waiters are served live first, then background; background waiters older than
 * `promotionMs` count as live. Not reentrant: work holding the gate must not `run` again.
 */
export class PriorityGate {
  private held = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly promotionMs = backgroundPromotionMs,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Runs `work` once the gate is free and no waiter ahead of it has priority; resolves or rejects as `work` does. */
  async run<T>(work: () => Promise<T>, asBackground = isBackgroundDatabaseWork()): Promise<T> {
    if (this.held || this.waiters.length > 0) {
      await new Promise<void>((grant) => this.waiters.push({ background: asBackground, queuedAtMs: this.nowMs(), grant }));
    } else {
      this.held = true;
    }
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** How many calls wait for the gate (not counting the one holding it). */
  get waiting(): number {
    return this.waiters.length;
  }

  private release(): void {
    const next = this.takeNext();
    if (next) next.grant();
    else this.held = false;
  }

  private takeNext(): Waiter | undefined {
    if (this.waiters.length === 0) return undefined;
    const promotedBefore = this.nowMs() - this.promotionMs;
    const index = this.waiters.findIndex((waiter) => !waiter.background || waiter.queuedAtMs <= promotedBefore);
    return this.waiters.splice(index === -1 ? 0 : index, 1)[0];
  }
}

/**
 * PGlite whose statements and transactions (`query`, `exec`, `transaction`, and whatever else
 * takes its transaction lock) pass a {@link PriorityGate} first. Inside a transaction, the
 * transaction's own statements do not pass it again: the transaction holds it.
 */
export class PrioritizedPGlite extends PGlite {
  readonly gate = new PriorityGate();

  override _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.run(() => super._runExclusiveTransaction(work));
  }

  /** Opens it like `PGlite.create` (resolves once ready; rejects with PGlite's start-up error). */
  static async open(options: PGliteOptions): Promise<PrioritizedPGlite> {
    const client = new PrioritizedPGlite(options);
    await client.waitReady;
    return client;
  }
}

/**
 * Makes background work's statements on `pool` (a Drizzle statement through `pool.query`, a
 * transaction's `connect`, and each statement inside it) wait for `liveWork` to be quiet, at most
 * `maxWaitMs` (ms) each, before they start; live work never waits. Only the promise forms wait:
 * pg's own callback calls (the pool's `query` runs on a client through `connect(callback)` and
 * `client.query(…, callback)`) pass as they are. A background transaction may so hold its row
 * locks up to `maxWaitMs` longer per statement; a campaign's claims lock only its own recipients,
 * its inbox's daily room and conversations it creates. Returns the same pool.
 */
export function prioritizePool(pool: pg.Pool, liveWork: LiveWork, maxWaitMs = liveWorkMaxWaitMs): pg.Pool {
  const mustWait = (args: unknown[]) => typeof args.at(-1) !== "function" && liveWork.active > 0 && isBackgroundDatabaseWork();
  const gated =
    (call: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) =>
      mustWait(args) ? liveWork.quiet(maxWaitMs).then(() => call(...args)) : call(...args);
  Object.assign(pool, { connect: gated(pool.connect.bind(pool)), query: gated(pool.query.bind(pool)) });
  pool.on("connect", (client) => {
    Object.assign(client, { query: gated(client.query.bind(client)) });
  });
  return pool;
}
