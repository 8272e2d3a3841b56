/**
 * The campaign outcomes this process holds and has not written yet, so an ack can wait for them.
 *
 * A campaign's outcomes are written a few at a time (OutcomeRecorder's `coalesceMs`) instead of
 * one statement per send: at 60 sends/s one statement each kept the database and the event loop
 * busy enough to slow agents' live replies (on PostgreSQL it was a statement and about 1 ms of
 * the server's CPU per send, half its extra work while a campaign ran). An ack for a send whose
 * provider message id is not stored yet would find no message, so:
 * - the inbound pipeline of this process (receive-inbound.ts, webhooks.usecases.ts) calls
 *   {@link PendingOutcomeWrites.settled} before it applies statuses: every outcome held at that
 *   moment is written first;
 * - an ack another node applies while this one still holds its outcome (PostgreSQL, several
 *   nodes) finds no message and is tried again seconds later (messages/late-statuses.ts).
 */

/**
 * How long a campaign send's outcome may wait to be written with others, ms. Longer than a
 * batch's sends last (about 200 ms of sends a claim, send-run.ts `batchSize`), so that a batch's
 * outcomes are written once, when it ends (SendRun.send flushes them), rather than by a timer in
 * its middle and again at its end: at 60 sends/s one statement of 12 outcomes about 5 times a
 * second, where 100 ms cost 2–3 statements a batch (about 12 a second, each a commit). At a
 * crash the sends of the batch under way whose outcome was not written may repeat once: they are
 * claimed recipients without an outcome, the sends "in flight at the kill".
 */
export const OUTCOME_COALESCE_MS = 250;

/** A holder of unwritten outcomes (OutcomeRecorder). */
export interface OutcomeHolder {
  /** Starts writing what it holds now and resolves once written; never rejects (the holder reports failures itself). */
  written(): Promise<void>;
}

export class PendingOutcomeWrites {
  private readonly holders = new Set<OutcomeHolder>();

  /** Registers a holder until {@link release}. */
  hold(holder: OutcomeHolder): void {
    this.holders.add(holder);
  }

  release(holder: OutcomeHolder): void {
    this.holders.delete(holder);
  }

  /**
   * Resolves once every outcome held when called is written (at once when none is held). Must not
   * be awaited inside a database transaction: the writes need the connection it holds.
   */
  async settled(): Promise<void> {
    if (this.holders.size === 0) return;
    await Promise.all([...this.holders].map((holder) => holder.written()));
  }
}
