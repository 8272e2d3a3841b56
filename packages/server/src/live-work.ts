/**
 * Live work first on this process's CPU (issue 10: "agents answering live chats during the
 * campaign notice nothing").
 *
 * On PostgreSQL a campaign's statements and an agent's reply run on separate connections, but
 * they share this process's event loop and the machine's cores with the PostgreSQL server: a
 * claim or an outcome write that starts while a reply is on its way delays the reply by its
 * share of CPU. Measured in the live-reply benchmark (2 cores): a reply's p99 went from 21.8 ms
 * with no campaign to 30.9 ms beside one at 60 sends/s, while the p50 moved 1 ms.
 *
 * Live work (an HTTP request being answered, a live queue woken for an agent's message, that
 * message being sent) is counted here while it is under way, for at most
 * {@link liveWorkHorizonMs}. On PostgreSQL, background work (campaigns, re-enrichment) asks
 * {@link LiveWork.quiet} before starting a statement (store/database-priority.ts,
 * `prioritizePool`) and a campaign before each provider call (`giveWay`), and starts
 * once nothing live is under way or after a bounded wait, so a busy inbox slows a campaign but
 * cannot stop it. Measured then in six runs: 1.01–1.23× the p99 with no campaign, 1.11× on
 * average (1.42× before), at 55.8–56.7 sends/s as before. The embedded database orders its
 * statements instead (database-priority.ts, `PrioritizedPGlite`). Campaigns that send from their
 * own thread (jobs/campaign-thread.ts) follow the main thread's count through shared memory
 * ({@link LiveWork.share}, {@link LiveWork.follow}).
 */

/** Counts live work under way and lets background work wait for a quiet moment. */
export class LiveWork {
  private open = 0;
  private waiters: Array<() => void> = [];
  /** This count, published for other threads ({@link share}). */
  private published: Int32Array | undefined;
  /** Another thread's published count, followed instead of this one's ({@link follow}). */
  private followed: Int32Array | undefined;

  /** @param horizonMs how long a piece of live work counts at most, ms (see {@link liveWorkHorizonMs}). */
  constructor(private readonly horizonMs = liveWorkHorizonMs) {}

  /**
   * Marks live work as started; call the returned function (once; later calls do nothing) when it
   * ends. It stops counting by itself after the horizon.
   */
  begin(): () => void {
    this.open++;
    if (this.published) Atomics.store(this.published, 0, this.open);
    let counted = true;
    const stop = () => {
      if (!counted) return;
      counted = false;
      this.open--;
      if (this.published) {
        Atomics.store(this.published, 0, this.open);
        if (this.open === 0) Atomics.notify(this.published, 0);
      }
      if (this.open === 0 && this.waiters.length > 0) this.releaseAll();
    };
    const timer = setTimeout(stop, this.horizonMs);
    timer.unref();
    return () => {
      clearTimeout(timer);
      stop();
    };
  }

  /** Runs `work` as live work; resolves or rejects as it does. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** How many pieces of live work are under way (in the followed thread, when following one). */
  get active(): number {
    return this.followed ? Atomics.load(this.followed, 0) : this.open;
  }

  /**
   * Publishes this count in shared memory from now on, for other threads to {@link follow}
   * (the campaign thread, jobs/campaign-thread.ts); returns the memory (4 bytes). Idempotent.
   */
  share(): SharedArrayBuffer {
    if (!this.published) {
      this.published = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      Atomics.store(this.published, 0, this.open);
    }
    return this.published.buffer as SharedArrayBuffer;
  }

  /**
   * Makes {@link active} and {@link quiet} answer for the thread that {@link share}d `memory`
   * (this thread's background work then waits for that thread's live work) instead of this one.
   */
  follow(memory: SharedArrayBuffer): void {
    this.followed = new Int32Array(memory);
  }

  /**
   * Resolves once no live work is under way, or after `maxWaitMs` (ms) whichever comes first;
   * at once when nothing live is under way. Never rejects.
   */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.followed) return quietIn(this.followed, maxWaitMs);
    if (this.open === 0) return settled;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const index = this.waiters.indexOf(done);
        if (index !== -1) this.waiters.splice(index, 1);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.push(done);
    });
  }

  private releaseAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const done of waiters) done();
  }
}

const settled = Promise.resolve();

/** `Atomics.waitAsync` (Node 16+; ES2024, past this project's `lib`). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** {@link LiveWork.quiet} on a count another thread publishes: waits for its notification at 0, or the time to run out. */
async function quietIn(count: Int32Array, maxWaitMs: number): Promise<void> {
  const until = performance.now() + maxWaitMs;
  for (let open = Atomics.load(count, 0); open > 0; open = Atomics.load(count, 0)) {
    const left = until - performance.now();
    if (left <= 0) return;
    const waiting = waitAsync(count, 0, open, left);
    if (waiting.async) await waiting.value;
  }
}

/**
 * How long a piece of live work counts, ms. An agent's reply is answered in about 10–50 ms (p99
 * measured 17–73 ms); a request that takes longer mostly waits on the network (an upload, an AI
 * suggestion, a download being streamed) rather than on this process's CPU, and must not hold
 * campaigns back while it lasts.
 */
export const liveWorkHorizonMs = 100;

/**
 * How long background work waits for live work to end before it starts anyway, ms: about one
 * agent's reply on a loaded machine, so background work goes between replies rather than beside
 * them, and a constant stream of live work slows it by at most this much a step.
 */
export const liveWorkMaxWaitMs = 50;

/** This process's live work: HTTP requests (http/app.ts), live queues' wake-ups (jobs/worker.ts) and sends (jobs/handlers.ts). */
export const liveWork = new LiveWork();
