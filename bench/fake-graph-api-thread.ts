/**
 * Starts the fake Graph API on a worker thread (fake-graph-api.worker.ts) and reports the
 * requests it receives, each with its arrival time on {@link monotonicMs}'s clock.
 */
import { Worker } from "node:worker_threads";

/** A request the fake received: what the benchmarks look at, and when it arrived (monotonicMs). */
export interface FakeGraphRequest {
  method: string;
  /** Path without the version prefix, e.g. `/106540352242922/messages`. */
  path: string;
  json: unknown;
  atMs: number;
}

/** What the worker posts. */
export type FakeGraphWorkerMessage =
  | { type: "ready"; fake: { url: string; origin: string; accessToken: string; phoneNumberId: string; wabaId: string } }
  | { type: "request"; request: FakeGraphRequest }
  | { type: "closed" };

/** The fake as the benchmarks use it. */
export interface FakeGraphThread {
  readonly url: string;
  readonly origin: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly wabaId: string;
  /** Calls `listener` with each request as it arrives; returns the undo. */
  onRequest(listener: (request: FakeGraphRequest) => void): () => void;
  /** Stops the fake and its thread. */
  close(): Promise<void>;
}

/** ms on the process-wide monotonic clock, the same on every thread (the fake's arrival stamps). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Starts the fake's thread; resolves once it listens. Throws when the thread fails to start. */
export async function startFakeGraphThread(): Promise<FakeGraphThread> {
  const worker = new Worker(new URL("./fake-graph-api.worker.mjs", import.meta.url));
  const listeners = new Set<(request: FakeGraphRequest) => void>();
  let closed: (() => void) | undefined;
  const ready = await new Promise<Extract<FakeGraphWorkerMessage, { type: "ready" }>["fake"]>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message: FakeGraphWorkerMessage) => {
      if (message.type === "ready") resolve(message.fake);
      else if (message.type === "request") for (const listener of listeners) listener(message.request);
      else closed?.();
    });
  });
  return {
    ...ready,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      const done = new Promise<void>((resolve) => (closed = resolve));
      worker.postMessage({ type: "close" });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await worker.terminate();
    },
  };
}
