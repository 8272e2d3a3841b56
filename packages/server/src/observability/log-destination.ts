/**
 * Where Parley's log lines go: a file descriptor (stdout), written asynchronously and in order
 * (at exit, a chunk already handed to an asynchronous write may land after the exit flush's lines),
 * that never holds the process hostage.
 *
 * pino's default destination (sonic-boom) flushes synchronously at exit and retries a failed
 * write every 100 ms for as long as it fails: once the reader of a log pipe has gone away
 * (`parley start | some-reader`, the reader dies), every write fails with EPIPE, so the exit
 * flush loops for ever inside `process.exit()`, where no timer or signal handler can run: the
 * node ignores SIGTERM until it is killed. This destination gives up instead: after a write
 * fails with anything but EAGAIN (EPIPE, EBADF, ...) it drops every line, and its exit flush
 * writes what is queued once, within a time budget.
 */
import { write, writeSync } from "node:fs";

/** A pino destination (`write`) with a bounded synchronous flush for process exit. */
export interface LogDestination {
  /** Queues one serialized line; dropped once the descriptor failed or the queue is full. */
  write(line: string): void;
  /** Writes what is queued now, synchronously; gives up on an error or after the flush budget. Never throws. */
  flushSync(): void;
  /** Lines dropped so far (a dead reader, or one too slow for `maxQueuedBytes`). */
  readonly dropped: number;
  /** True once a write failed for good: nothing is written any more. */
  readonly broken: boolean;
}

/** Options of {@link fdLogDestination}. */
export interface LogDestinationOptions {
  /** Most bytes queued for a slow reader before new lines are dropped. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Longest a {@link LogDestination.flushSync} keeps retrying a full pipe (EAGAIN), in ms. Default 1000. */
  flushBudgetMs?: number;
  /** Delay before retrying a write that found the pipe full (EAGAIN), in ms. Default 20. */
  retryDelayMs?: number;
}

/** Sleeps a synchronous retry without spinning (`Atomics.wait` on a value nothing changes). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** A {@link LogDestination} writing to `fd` (default 1, stdout); see the module comment. */
export function fdLogDestination(fd = 1, options: LogDestinationOptions = {}): LogDestination {
  const maxQueuedBytes = options.maxQueuedBytes ?? 16 * 1024 * 1024;
  const flushBudgetMs = options.flushBudgetMs ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 20;
  let queue: string[] = [];
  let queuedBytes = 0;
  let writing = false;
  let broken = false;
  let dropped = 0;

  /** Gives up for good; `lost` lines were being written when it failed. */
  const fail = (lost: number) => {
    broken = true;
    dropped += lost + queue.length;
    queue = [];
    queuedBytes = 0;
  };

  const takeQueue = (): { chunk: Buffer; lines: number } => {
    const taken = { chunk: Buffer.from(queue.join(""), "utf8"), lines: queue.length };
    queue = [];
    queuedBytes = 0;
    return taken;
  };

  const writeChunk = (chunk: Buffer, lines: number): void => {
    write(fd, chunk, 0, chunk.length, null, (error, written) => {
      if (error) {
        if (error.code === "EAGAIN" && !broken) {
          setTimeout(() => writeChunk(chunk, lines), retryDelayMs).unref();
          return;
        }
        writing = false;
        fail(lines);
        return;
      }
      if (written < chunk.length) {
        writeChunk(chunk.subarray(written), lines);
        return;
      }
      writing = false;
      pump();
    });
  };

  function pump(): void {
    if (writing || broken || queue.length === 0) return;
    writing = true;
    const { chunk, lines } = takeQueue();
    writeChunk(chunk, lines);
  }

  return {
    write(line) {
      if (broken || queuedBytes + line.length > maxQueuedBytes) {
        dropped++;
        return;
      }
      queue.push(line);
      queuedBytes += line.length;
      pump();
    },
    flushSync() {
      if (broken || queue.length === 0) return;
      // A chunk already handed to an asynchronous write is left to it: writing it again here
      // could print it twice.
      let { chunk, lines } = takeQueue();
      const deadline = Date.now() + flushBudgetMs;
      while (chunk.length > 0) {
        try {
          chunk = chunk.subarray(writeSync(fd, chunk));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EAGAIN" || Date.now() >= deadline) {
            fail(lines);
            return;
          }
          Atomics.wait(pause, 0, 0, 5);
        }
      }
    },
    get dropped() {
      return dropped;
    },
    get broken() {
      return broken;
    },
  };
}
