/**
 * Turns keystrokes into a sparse stream of typing notices for the other side (agents' whispers
 * and the widget's `client-typing` alike): `true` at the first keystroke and again at most every
 * `repeatMs` while typing continues (receivers forget a notice after 3 s, so it must be renewed),
 * and `false` once after `idleMs` without a keystroke, or at once on stop() (on send, on leaving
 * the conversation). Browser-safe; uses the global timers, so fake timers drive it in tests.
 */
export class TypingNotifier {
  private typing = false;
  private lastSentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param send     receives each notice (true = typing, false = stopped); must not throw.
   * @param repeatMs minimum gap between two `true` notices, in ms (default 2000).
   * @param idleMs   quiet time after which `false` is sent, in ms (default 3000).
   */
  constructor(
    private readonly send: (isTyping: boolean) => void,
    private readonly repeatMs = 2000,
    private readonly idleMs = 3000,
  ) {}

  /** Call on every input event that changes the text. */
  input(): void {
    const now = Date.now();
    if (!this.typing || now - this.lastSentAt >= this.repeatMs) {
      this.typing = true;
      this.lastSentAt = now;
      this.send(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
  }

  /** Sends `false` if a `true` is outstanding. */
  stop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}
