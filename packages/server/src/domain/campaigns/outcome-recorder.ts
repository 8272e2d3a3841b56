import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { Store } from "../ports.ts";
import type { RecipientOutcome } from "./campaigns.port.ts";

/** Shortest time between the starts of two outcome writes, ms: bounds the writes to 20 a second. */
export const MIN_WRITE_INTERVAL_MS = 50;

/**
 * Records recipients' outcomes as their provider calls return, by group commit: the outcomes
 * that came since the last write are written together, one transaction for them all, at most
 * every {@link MIN_WRITE_INTERVAL_MS} and never two at once. Writes run in the background, so
 * sending never waits for them. At 60 sends/s that is at most 20 writes a second of about three
 * outcomes, instead of one per send; when writes slow down (PGlite's one connection busy with
 * live replies, a loaded CPU) each takes more outcomes and there are fewer, so the campaign
 * yields the database to live replies (issue 10, "agents notice nothing"). A crash loses only
 * the outcomes of the write under way and of those queued behind it (a few sends at 60/s):
 * those recipients stay claimed and are the sends "in flight at the kill" that may repeat once
 * (dispatch.ts).
 */
export class OutcomeRecorder {
  private queued: RecipientOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();
  private busy = false;
  /** When the last write started, ms (performance clock), and the timer of the next one. */
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly campaign: { id: string; workspaceId: string },
  ) {}

  /** Queues an outcome and writes it at once, or with the next group when a write is under way. */
  add(outcome: RecipientOutcome): void {
    this.queued.push(outcome);
    this.pump();
  }

  /**
   * Throws the error of an earlier write that failed, so the dispatcher stops rather than
   * sending on while nothing is recorded; else makes sure what is queued is being written.
   */
  write(): void {
    this.throwFailure();
    this.pump();
  }

  /** Writes what is queued now (not waiting for the interval); resolves once every queued outcome is written; throws a write's error. */
  async flush(): Promise<void> {
    this.pump(true);
    while (this.busy) {
      await this.writing;
      this.pump(true);
    }
    this.throwFailure();
  }

  private pump(now = false): void {
    if (this.busy || this.failure || this.queued.length === 0) return;
    const waitMs = now ? 0 : this.lastWriteAt + MIN_WRITE_INTERVAL_MS - performance.now();
    if (waitMs > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, waitMs);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastWriteAt = performance.now();
    const group = this.queued;
    this.queued = [];
    this.busy = true;
    this.writing = (async () => {
      try {
        await this.store.transaction((repositories) => repositories.campaigns.record(group, this.clock.now()));
        await this.events.publish([{ type: "campaign.changed", workspaceId: this.campaign.workspaceId, campaignId: this.campaign.id }]);
      } catch (error) {
        this.failure = { error };
      } finally {
        this.busy = false;
      }
      this.pump();
    })();
  }

  private throwFailure(): void {
    if (!this.failure) return;
    const { error } = this.failure;
    this.failure = null;
    throw error;
  }
}
