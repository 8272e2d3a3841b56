/**
 * Detects silent clients. Any frame (or WebSocket ping/pong) from the client is activity.
 * After `idleMs` of silence the server pings; if the client is still silent `pongTimeoutMs` later
 * it is dead. Source: pusher-websockets-protocol.md § Ping and pong messages (either side may ping
 * an idle peer; close code 4201 "Pong reply not received").
 */
export class ActivityMonitor {
  private timer: NodeJS.Timeout | undefined;
  private awaitingPong = false;

  /**
   * @param idleMs silence before `onIdle` (ms).
   * @param pongTimeoutMs silence after `onIdle` before `onDead` (ms).
   * @param onIdle send a ping.
   * @param onDead close the connection.
   */
  constructor(
    private readonly idleMs: number,
    private readonly pongTimeoutMs: number,
    private readonly onIdle: () => void,
    private readonly onDead: () => void,
  ) {}

  /** Starts watching. */
  start(): void {
    this.schedule(this.idleMs);
  }

  /** Records activity. O(1): refreshes the existing timer unless a ping is outstanding. */
  touch(): void {
    if (this.timer === undefined) return;
    if (this.awaitingPong) {
      this.awaitingPong = false;
      clearTimeout(this.timer);
      this.schedule(this.idleMs);
    } else {
      this.timer.refresh();
    }
  }

  /** Stops watching for good. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(this.fire, ms);
    // A silent socket alone must not keep the process alive.
    this.timer.unref();
  }

  private readonly fire = (): void => {
    if (this.awaitingPong) {
      this.stop();
      this.onDead();
      return;
    }
    this.awaitingPong = true;
    this.schedule(this.pongTimeoutMs);
    this.onIdle();
  };
}
