/**
 * A WhatsApp Web session's events, handled one step after another in the order the engine
 * reported them. Consecutive messages and acks are handled together (up to `maxBatch` a step):
 * each campaign send comes back as its echo and two acks (server, then delivered), and a step
 * per event kept a 10,000-recipient campaign's acks minutes behind its sends (the inbound
 * pipeline stores a step's messages before its acks, so an ack never outruns its message).
 * Each step first lets the event loop
 * turn: on PGlite a step never waits for I/O, so without it a backlog of events would hold off
 * HTTP requests and timers until it drained.
 */
import type { EngineEvent } from "../domain/whatsapp-web/engine.ts";

const batchable = (event: EngineEvent) => event.type === "message" || event.type === "ack";
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SessionEventQueue {
  private tail: Promise<void> = Promise.resolve();
  /** The messages and acks of the last queued step while it has not begun: later ones join it. */
  private waiting: EngineEvent[] | null = null;

  constructor(
    /** Handles one step: a single event, or consecutive messages and acks (several only when all are). */
    private readonly handle: (events: EngineEvent[]) => Promise<void>,
    /** Hears a step's failure; the queue goes on with the next step. */
    private readonly onError: (error: unknown, events: EngineEvent[]) => void,
    private readonly maxBatch = 500,
  ) {}

  /** Queues an event behind those reported before it. */
  push(event: EngineEvent): void {
    if (batchable(event) && this.waiting && this.waiting.length < this.maxBatch) {
      this.waiting.push(event);
      return;
    }
    const step = [event];
    this.waiting = batchable(event) ? step : null;
    this.tail = this.tail.then(async () => {
      await nextTurn();
      // Begun: events reported from now on wait for a step of their own, after this one.
      if (this.waiting === step) this.waiting = null;
      await this.handle(step).catch((error: unknown) => this.onError(error, step));
    });
  }
}
