/**
 * Detects silent clients. Any frame (or WebSocket ping/pong) from the client is activity. After
 * `idleMs` of silence the server pings; if the client is still silent `pongTimeoutMs` later it is
 * dead. Source: pusher-websockets-protocol.md § Ping and pong messages (either side may ping an
 * idle peer; close code 4201 "Pong reply not received").
 *
 * One sweep over every connection a few times per idle period instead of a timer per connection:
 * recording activity, which happens for every frame a client sends, is then a field write, and
 * an idle connection holds two numbers instead of a timer and its closures. A ping goes out
 * between `idleMs` and `idleMs` plus one sweep interval after the last activity.
 */

/** The two timestamps the sweeper keeps on each watched connection (ms, from `nowMs`). */
export interface Watched {
  /** When the client was last heard from. */
  lastActivityAt: number;
  /** When the server pinged the silent client; 0 while no ping is outstanding. */
  pingSentAt: number;
}

export interface ActivitySweeperOptions<T extends Watched> {
  /** Silence before `onIdle` (ms). */
  idleMs: number;
  /** Silence after `onIdle` before `onDead` (ms). */
  pongTimeoutMs: number;
  /** Ping the connection. */
  onIdle(connection: T): void;
  /** Close the connection (it is no longer watched). */
  onDead(connection: T): void;
  /** The clock, ms; default `performance.now`. */
  nowMs?: () => number;
}

/** Sweep a quarter of the shorter period, between 10 ms (tests) and 1 s (production: 125 s and 30 s). */
function sweepIntervalMs(idleMs: number, pongTimeoutMs: number): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(idleMs, pongTimeoutMs) / 4)));
}

/** Watches connections for silence; see the module comment. */
export class ActivitySweeper<T extends Watched> {
  private readonly watched = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private readonly nowMs: () => number;
  readonly intervalMs: number;

  /** @throws {RangeError} unless both periods are positive. */
  constructor(private readonly options: ActivitySweeperOptions<T>) {
    if (!(options.idleMs > 0) || !(options.pongTimeoutMs > 0)) throw new RangeError("The idle and pong periods must be positive");
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.intervalMs = sweepIntervalMs(options.idleMs, options.pongTimeoutMs);
  }

  /** Starts watching `connection`, as if it had just spoken. */
  add(connection: T): void {
    this.touch(connection);
    this.watched.add(connection);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sweep(), this.intervalMs);
      // Silent sockets alone must not keep the process alive.
      this.timer.unref();
    }
  }

  /** Records activity: any frame, ping or pong from the client. */
  touch(connection: T): void {
    connection.lastActivityAt = this.nowMs();
    connection.pingSentAt = 0;
  }

  /** Stops watching `connection` (it closed). */
  remove(connection: T): void {
    this.watched.delete(connection);
    if (this.watched.size === 0) this.stop();
  }

  /** Pings the connections silent for `idleMs`, drops those silent `pongTimeoutMs` after their ping. Runs on its own timer; public for tests. */
  sweep(): void {
    const now = this.nowMs();
    const { idleMs, pongTimeoutMs, onIdle, onDead } = this.options;
    for (const connection of this.watched) {
      if (connection.pingSentAt !== 0) {
        if (now - connection.pingSentAt >= pongTimeoutMs) {
          this.watched.delete(connection);
          onDead(connection);
        }
      } else if (now - connection.lastActivityAt >= idleMs) {
        connection.pingSentAt = now;
        onIdle(connection);
      }
    }
    if (this.watched.size === 0) this.stop();
  }

  /** Stops the sweeps (they start again with the next `add`). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
