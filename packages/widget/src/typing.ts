/**
 * Turns keystrokes into a sparse stream of typing notifications: `true` at most once every
 * `throttleMs` while the visitor keeps typing, and `false` once after `idleMs` without input or
 * when stop() is called (on send). Agents' indicators expire on their own, hence the periodic
 * re-send of `true`.
 */
export class TypingNotifier {
  private typing = false;
  private lastSentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param send        receives each notification; must not throw.
   * @param throttleMs  minimum gap between two `true` notifications, in ms.
   * @param idleMs      quiet time after which `false` is sent, in ms.
   */
  constructor(
    private readonly send: (isTyping: boolean) => void,
    private readonly throttleMs = 2000,
    private readonly idleMs = 3000,
  ) {}

  /** Call on every input event of the composer. */
  input(): void {
    const now = Date.now();
    if (!this.typing || now - this.lastSentAt >= this.throttleMs) {
      this.typing = true;
      this.lastSentAt = now;
      this.send(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
  }

  /** Sends `false` if a `true` is outstanding. Call on send and on teardown. */
  stop(): void {
    clearTimeout(this.idleTimer);
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}
