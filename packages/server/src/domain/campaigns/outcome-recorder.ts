import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { Store } from "../ports.ts";
import type { RecipientOutcome } from "./campaigns.port.ts";

/**
 * Records recipients' outcomes as soon as their provider calls return, coalescing those that
 * arrive while a write is under way into the next write: at 400 sends/s that is a statement
 * every few ms rather than one per send, and a crash loses at most the outcomes of one write
 * (those recipients are then the sends "in flight at the kill" that may repeat once).
 */
export class OutcomeRecorder {
  private queued: RecipientOutcome[] = [];
  private writing: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly campaign: { id: string; workspaceId: string },
  ) {}

  /** Queues an outcome; it is written with the next write. */
  add(outcome: RecipientOutcome): void {
    this.queued.push(outcome);
    this.writing ??= this.drain();
  }

  /** Resolves once every queued outcome is written; rethrows a failed write. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const batch = this.queued;
        this.queued = [];
        await this.store.transaction((repositories) => repositories.campaigns.record(batch, this.clock.now()));
        await this.events.publish([{ type: "campaign.changed", workspaceId: this.campaign.workspaceId, campaignId: this.campaign.id }]);
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.writing = null;
    }
  }
}
