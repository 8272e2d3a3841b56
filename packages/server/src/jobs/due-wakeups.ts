/**
 * Wake-ups at a job's due time. A delayed job (a send retry in 10 s, a campaign's next slot, a
 * session task waiting for its connection) cannot be announced when it is inserted: it is not
 * fetchable yet. Its scheduler announces it with its due time instead (`{queue}@{epoch ms}`, see
 * scheduler.ts), and every node that hears it sets a timer, so the job starts on time rather
 * than at a worker's next poll. Polling stays the fallback for anything not announced.
 */

/**
 * The wake-up payload of a job in `queueName` due at `dueAtMs` (ms since the epoch); a payload
 * without `@` is due now. scheduler.ts writes the same in SQL, with the database's clock.
 */
export function duePayload(queueName: string, dueAtMs: number): string {
  return `${queueName}@${Math.round(dueAtMs)}`;
}

/** A payload's queue and due time (ms since the epoch; 0 when due now). */
export function parseWakePayload(payload: string): { queueName: string; dueAtMs: number } {
  const at = payload.lastIndexOf("@");
  if (at < 0) return { queueName: payload, dueAtMs: 0 };
  const dueAtMs = Number(payload.slice(at + 1));
  return { queueName: payload.slice(0, at), dueAtMs: Number.isFinite(dueAtMs) ? dueAtMs : 0 };
}

/** A wake-up later than this waits in a timer of this length, then is set again. */
const farthestTimerMs = 60 * 60 * 1000;
/**
 * Jobs of one queue due within this window share one timer: a campaign announces a job every few
 * ms, and one wake-up fetches them all. A timer fires up to this late, never early.
 */
const coalesceMs = 50;

/** Timers that wake a queue's workers when a job becomes due. */
export class DueWakeups {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  /** @param wake wakes the workers of one queue (no-op for a queue this node does not work). */
  constructor(
    private readonly wake: (queueName: string) => void,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Wakes `queueName` at `dueAtMs` (at once when already due). */
  at(queueName: string, dueAtMs: number): void {
    if (this.stopped) return;
    const delayMs = dueAtMs - this.nowMs();
    if (delayMs <= 0) {
      this.wake(queueName);
      return;
    }
    const slot = Math.ceil(dueAtMs / coalesceMs);
    // A campaign scheduled for tomorrow starts on time, not at the first poll after it is due.
    if (delayMs > farthestTimerMs) this.arm(`${queueName}@far@${slot}`, farthestTimerMs, () => this.at(queueName, dueAtMs));
    else this.arm(`${queueName}@${slot}`, slot * coalesceMs - this.nowMs(), () => this.wake(queueName));
  }

  private arm(key: string, delayMs: number, fire: () => void): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fire();
    }, delayMs);
    // A pending wake-up must not keep a stopping process alive.
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Cancels every pending wake-up; later calls do nothing. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
