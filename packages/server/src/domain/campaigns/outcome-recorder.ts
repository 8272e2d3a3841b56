import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { Store } from "../ports.ts";
import type { RecipientOutcome } from "./campaigns.port.ts";

/**
 * Collects recipients' outcomes as their provider calls return and writes those of a batch
 * together, in one transaction, once the batch is done (`write`). At 60 sends/s that is about
 * five writes a second instead of one per send: on PGlite every write holds the only
 * connection, and live replies wait behind it (issue 10, "agents notice nothing"). Writes run
 * one after another in the background, so the next batch starts sending without waiting for
 * the last one's write. A crash loses at most the outcomes of the batches not yet written;
 * those recipients stay claimed and are the sends "in flight at the kill" that may repeat once
 * (dispatch.ts).
 */
export class OutcomeRecorder {
  private queued: RecipientOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly campaign: { id: string; workspaceId: string },
  ) {}

  /** Queues an outcome; it is written by the next `write` or `flush`. */
  add(outcome: RecipientOutcome): void {
    this.queued.push(outcome);
  }

  /**
   * Starts writing every queued outcome (after the writes already under way) without waiting for
   * it. Throws the error of an earlier write that failed, so the dispatcher stops rather than
   * sending on while nothing is recorded.
   */
  write(): void {
    this.throwFailure();
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        await this.store.transaction((repositories) => repositories.campaigns.record(batch, this.clock.now()));
        await this.events.publish([{ type: "campaign.changed", workspaceId: this.campaign.workspaceId, campaignId: this.campaign.id }]);
      } catch (error) {
        this.failure = { error };
      }
    });
  }

  /** Writes what is queued and resolves once every write is done; throws a write's error. */
  async flush(): Promise<void> {
    this.write();
    await this.writing;
    this.throwFailure();
  }

  private throwFailure(): void {
    if (!this.failure) return;
    const { error } = this.failure;
    this.failure = null;
    throw error;
  }
}
