/**
 * Campaign dispatch on a thread of its own (campaign-thread.worker.ts), on PostgreSQL (issue 10:
 * "agents answering live chats during the campaign notice nothing").
 *
 * A Cloud API campaign at 60 sends/s costs the event loop that runs it about 1.4 ms a send
 * (claims and outcomes through Drizzle and node-postgres, undici's request and response, the
 * allocations' garbage collection): about a tenth of the main thread, in slices an agent's reply
 * queues behind. On a thread of its own, with its own heap and its own pool of connections, none
 * of it runs on the event loop that answers agents. Measured in the live-reply benchmark
 * (PostgreSQL, 2 cores, 8 rounds): the reply p99 during the campaign over the one without went
 * from 1.17 (90 % interval 1.03–1.31) to 1.02 (0.94–1.13) within the same hour; GC pauses on the
 * main thread during the campaign from 3.8 to 2.5 ms a second. The thread also asks the kernel
 * to run it behind the main thread (a nice value of {@link CAMPAIGN_THREAD_NICE}), its sends and
 * statements still wait out the main thread's live work (live-work.ts, shared memory), and its
 * Cloud API sends count against the same per-number budget as live replies
 * (providers/whatsapp-cloud/shared-send-rates.ts).
 *
 * The pg-boss job stays on the main thread (fetched, completed, retried as any other); only the
 * dispatch runs on the thread, which posts back its outcome and the events to publish. The
 * embedded database has one connection in the main thread, so there campaigns run in it (their
 * statements queue behind live work instead: store/database-priority.ts).
 *
 * The thread starts with the first dispatch and ends after {@link CAMPAIGN_THREAD_IDLE_MS}
 * without one, so a node without campaigns pays nothing for it. While it runs it costs about
 * 14 MB of RSS more than sending from the main thread (measured with the bundle, `npm start`, on
 * PostgreSQL: 171 against 157 MB during a 60/s campaign, 135 before it). A thread that dies fails the dispatches under way (pg-boss retries their jobs: a send in
 * flight may repeat once, as after a crash) and the next dispatch starts a new one.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { DispatchOutcome, DispatchSettings } from "../domain/campaigns/dispatch.ts";
import type { OutcomeHolder, PendingOutcomeWrites } from "../domain/campaigns/outcome-writes.ts";
import type { DomainEvent, EventPublisher } from "../domain/events.ts";

/** How long the thread stays up without a dispatch, ms (the next campaign slice usually comes within a second). */
export const CAMPAIGN_THREAD_IDLE_MS = 5 * 60_000;
/** The thread's nice value on Linux (0 is the main thread's; 19 the lowest priority). */
export const CAMPAIGN_THREAD_NICE = 10;
/** Connections of the thread's pool: a claim, an outcome write and a status check at once, with room. */
export const CAMPAIGN_THREAD_POOL_SIZE = 4;
/** How long a stop waits for the thread to close its pool before terminating it, ms. */
const STOP_TIMEOUT_MS = 2_000;

/** What the thread is started with (structured-cloned into it). */
export interface CampaignThreadData {
  databaseUrl: string;
  poolSize: number;
  /** pg-boss's schema, where dispatches schedule their next slice. */
  jobSchema: string;
  /** PARLEY_SECRET_KEY's 32 bytes: inbox credentials are sealed with it. */
  secretKey: Uint8Array;
  campaignSettings: Partial<DispatchSettings>;
  /** WHATSAPP_CLOUD_SENDS_PER_SECOND, when set. */
  cloudSendsPerSecond: number | undefined;
  /** The count of each number's sends the main thread's Cloud API provider keeps (shared-send-rates.ts): live replies and campaigns draw on one budget. */
  cloudSendRates: SharedArrayBuffer;
  /**
   * The main thread's count of live work (live-work.ts, `LiveWork.share`): the thread's sends and
   * statements wait for it as they would on the main thread (at most `liveWorkMaxWaitMs` each).
   */
  liveWork: SharedArrayBuffer;
  nice: number;
}

/** Main thread → campaign thread. */
export type CampaignThreadRequest =
  | { type: "dispatch"; id: number; job: { workspaceId: string; campaignId: string } }
  /** Write every outcome held now, then answer `settled` (an ack is about to be applied). */
  | { type: "settle"; id: number }
  | { type: "stop" };

/** Campaign thread → main thread. */
export type CampaignThreadMessage =
  | { type: "done"; id: number; outcome: DispatchOutcome }
  | { type: "failed"; id: number; message: string; stack: string | undefined }
  | { type: "events"; events: DomainEvent[] }
  | { type: "settled"; id: number }
  | { type: "warning"; message: string }
  | { type: "stopped" };

/** Options of {@link CampaignThread}. */
export interface CampaignThreadOptions extends Omit<CampaignThreadData, "poolSize" | "nice"> {
  /** Where the thread's events are published (the node's publisher: real-time, campaign progress). */
  events: EventPublisher;
  /**
   * The outcomes acks applied on the main thread wait for (domain/campaigns/outcome-writes.ts):
   * while dispatches run, the thread is registered there, and waiting on it writes what the
   * thread holds.
   */
  outcomeWrites?: PendingOutcomeWrites;
  logger: Logger;
  /** ms without a dispatch before the thread ends; default {@link CAMPAIGN_THREAD_IDLE_MS}. */
  idleMs?: number;
}

interface Pending {
  /** The thread it runs on: a thread that dies fails only its own. */
  worker: Worker;
  resolve(outcome: DispatchOutcome): void;
  reject(error: Error): void;
}

/** Runs campaign dispatches (domain/campaigns/dispatch.ts, `dispatchCampaign`) on a worker thread; see the module comment. */
export class CampaignThread implements OutcomeHolder {
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private readonly settling = new Map<number, { worker: Worker; resolve(): void }>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: CampaignThreadOptions) {}

  /**
   * Runs one dispatch job of a campaign on the thread (starting it if needed); resolves with what
   * it came to. Rejects with the dispatch's error (its message and stack), when the thread dies
   * under it, or once the thread is stopped.
   */
  dispatch(job: { workspaceId: string; campaignId: string }): Promise<DispatchOutcome> {
    if (this.closed) return Promise.reject(new Error("The campaign thread is stopped."));
    const worker = this.started();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    this.options.outcomeWrites?.hold(this);
    return new Promise<DispatchOutcome>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ type: "dispatch", id, job } satisfies CampaignThreadRequest);
    });
  }

  /**
   * Resolves once the thread has written every campaign outcome it held when called (at once
   * when it runs no dispatch, or if it ends meanwhile). Never rejects.
   */
  written(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.pending.size === 0) return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      this.settling.set(id, { worker, resolve });
      worker.postMessage({ type: "settle", id } satisfies CampaignThreadRequest);
    });
  }

  /** Whether the thread is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Stops the thread: it closes its pool and ends (terminated after 2 s). Dispatches still under
   * way reject, as at a crash. Later dispatches reject. Never rejects.
   */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    const timeout = askToEnd(worker);
    await this.exited;
    clearTimeout(timeout);
  }

  /** Ends the thread at once, as a crash would (sends in flight are cut off). Never rejects. */
  async kill(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.worker?.terminate();
    await this.exited;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { logger } = this.options;
    const data: CampaignThreadData = {
      databaseUrl: this.options.databaseUrl,
      poolSize: CAMPAIGN_THREAD_POOL_SIZE,
      jobSchema: this.options.jobSchema,
      secretKey: this.options.secretKey,
      campaignSettings: this.options.campaignSettings,
      cloudSendsPerSecond: this.options.cloudSendsPerSecond,
      cloudSendRates: this.options.cloudSendRates,
      liveWork: this.options.liveWork,
      nice: CAMPAIGN_THREAD_NICE,
    };
    // From the sources (tests, `npm run parley`) the entry is a shim that loads TypeScript; from
    // the bundle (`npm start`) it is the built entry beside it (build.mjs).
    const fromSources = import.meta.url.endsWith(".ts");
    const worker = new Worker(new URL(fromSources ? "./campaign-thread.worker.mjs" : "./campaign-thread.worker.js", import.meta.url), {
      workerData: data,
      // The shim registers tsx itself; the bundle keeps the parent's flags (--enable-source-maps).
      ...(fromSources ? { execArgv: [] } : {}),
    });
    // The node's own servers keep the process alive; a thread left running must not.
    worker.unref();
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (message: CampaignThreadMessage) => this.received(message));
    worker.on("error", (error) => logger.error({ err: error }, "campaign thread failed"));
    worker.once("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      const error = new Error(`The campaign thread ended (exit code ${code}) during the dispatch.`);
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        this.pending.delete(id);
        waiting.reject(error);
      }
      for (const [id, waiting] of this.settling) {
        if (waiting.worker !== worker) continue;
        this.settling.delete(id);
        waiting.resolve();
      }
      if (this.pending.size === 0) this.options.outcomeWrites?.release(this);
    });
    return worker;
  }

  private received(message: CampaignThreadMessage): void {
    switch (message.type) {
      case "events":
        this.options.events
          .publish(message.events)
          .catch((error: unknown) => this.options.logger.warn({ err: error }, "campaign events could not be published"));
        return;
      case "warning":
        this.options.logger.warn({ component: "campaign-thread" }, message.message);
        return;
      case "done":
      case "failed": {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === "done") waiting?.resolve(message.outcome);
        else {
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          waiting?.reject(error);
        }
        if (this.pending.size === 0) {
          this.options.outcomeWrites?.release(this);
          if (!this.closed) this.idleAfterwards();
        }
        return;
      }
      case "settled":
        this.settling.get(message.id)?.resolve();
        this.settling.delete(message.id);
        return;
      case "stopped":
        return;
    }
  }

  /** Ends the thread once it has had nothing to do for the idle time. */
  private idleAfterwards(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.pending.size > 0) return;
      askToEnd(worker).unref();
      // Until it has exited, a dispatch starts a new thread rather than reach one that is closing.
      this.worker = undefined;
    }, this.options.idleMs ?? CAMPAIGN_THREAD_IDLE_MS);
    this.idleTimer.unref();
  }
}

/** Asks the thread to close its pool and end; returns the timer that terminates it after {@link STOP_TIMEOUT_MS}. */
function askToEnd(worker: Worker): NodeJS.Timeout {
  worker.postMessage({ type: "stop" } satisfies CampaignThreadRequest);
  return setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
}
