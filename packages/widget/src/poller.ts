/**
 * Runs an async task every `intervalMs` (ms) while started. Used as the fallback when the
 * WebSocket is down. The next run is scheduled only after the previous one settles, so a slow
 * server never sees overlapping polls; the task's errors are swallowed (the next tick retries).
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped on every start/stop so a tick that was in flight across a stop/start does not
  // continue the old loop next to the new one.
  private generation = 0;
  private running = false;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs = 3000,
  ) {}

  /** True between start() and stop(). */
  get active(): boolean {
    return this.running;
  }

  /** Starts polling; the first run happens after one interval. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(++this.generation);
  }

  /** Stops polling; an in-flight run completes but schedules nothing. Idempotent. */
  stop(): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.timer);
  }

  private schedule(generation: number): void {
    this.timer = setTimeout(async () => {
      try {
        await this.task();
      } catch {
        // The next tick is the retry.
      }
      if (generation === this.generation) this.schedule(generation);
    }, this.intervalMs);
  }
}
