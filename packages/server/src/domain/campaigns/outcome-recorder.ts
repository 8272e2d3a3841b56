import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { CampaignRepository, RecipientOutcome } from "./campaigns.port.ts";
import type { OutcomeHolder, PendingOutcomeWrites } from "./outcome-writes.ts";

/** Options of {@link OutcomeRecorder}. */
export interface OutcomeRecorderOptions {
  /**
   * How long an outcome may wait for others before its write starts, ms. 0: written as soon as
   * no write is under way. Parley uses 100: a few outcomes a statement instead of one per send
   * (see outcome-writes.ts).
   */
  coalesceMs?: number;
  /** Where held outcomes are registered, so acks wait for them (required with `coalesceMs` > 0). */
  pending?: PendingOutcomeWrites;
}

/**
 * Records recipients' outcomes as their provider calls return, coalescing those that arrive
 * while a write is under way (or within `coalesceMs`) into the next write: at 400 sends/s that is
 * a statement every few ms rather than one per send, and a crash loses at most the outcomes of
 * one write (those recipients are then the sends "in flight at the kill" that may repeat once).
 */
export class OutcomeRecorder implements OutcomeHolder {
  private queued: RecipientOutcome[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  private readonly coalesceMs: number;

  constructor(
    private readonly store: { campaigns: Pick<CampaignRepository, "record"> },
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly campaign: { id: string; workspaceId: string },
    private readonly options: OutcomeRecorderOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 0;
  }

  /** Queues an outcome; it is written with the next write. */
  add(outcome: RecipientOutcome): void {
    this.queued.push(outcome);
    this.options.pending?.hold(this);
    if (this.writing || this.timer) return;
    if (this.coalesceMs <= 0) this.writing = this.drain();
    else this.timer = setTimeout(() => this.startNow(), this.coalesceMs);
  }

  /** Resolves once every queued outcome is written; rethrows a failed write. */
  async flush(): Promise<void> {
    await this.written();
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }

  /** Writes what is queued now without waiting for `coalesceMs`; resolves once written, never rejects. */
  async written(): Promise<void> {
    if (this.timer) this.startNow();
    while (this.writing) await this.writing;
  }

  /** Writes what is left and stops holding outcomes for acks (until the next `add`); rethrows a failed write. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.options.pending?.release(this);
    }
  }

  private startNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const batch = this.queued;
        this.queued = [];
        // One statement, atomic by itself: no BEGIN/COMMIT round trips for each send.
        await this.store.campaigns.record(batch, this.clock.now());
        await this.events.publish([{ type: "campaign.changed", workspaceId: this.campaign.workspaceId, campaignId: this.campaign.id }]);
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.writing = null;
    }
  }
}
