/**
 * Turns keystrokes into typing notices for the other side: "typing" at the first keystroke and
 * again every `repeatMs` while typing continues (receivers forget a notice after 3 s), and
 * "stopped" after `idleMs` without a keystroke, on send, or when leaving the conversation.
 */
export class TypingNotifier {
  private typing = false;
  private lastSentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param send     delivers one notice (true = typing, false = stopped).
   * @param idleMs   quiet time after which "stopped" is sent, in ms.
   * @param repeatMs minimum interval between repeated "typing" notices, in ms.
   * @param now      the clock (ms), replaceable in tests.
   */
  constructor(
    private readonly send: (isTyping: boolean) => void,
    private readonly idleMs = 2000,
    private readonly repeatMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call on every keystroke that changes the text. */
  input(): void {
    const time = this.now();
    if (!this.typing || time - this.lastSentAt >= this.repeatMs) {
      this.typing = true;
      this.lastSentAt = time;
      this.send(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
  }

  /** Sends "stopped" if a "typing" is outstanding. */
  stop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}
