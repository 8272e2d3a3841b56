/** Which acknowledgement: the agent's message reached the visitor, or the visitor saw it. */
export type ReceiptKind = "delivered" | "read";

/**
 * Batches delivered/read acknowledgements. Each kind keeps only the highest message id asked
 * for (ids are UUIDv7, so string order is time order) and sends it once after `delayMs` (ms),
 * delivered before read. A failed send is retried by the next request for that kind; ids
 * already acknowledged are never sent again.
 */
export class Receipts {
  private readonly acked: Record<ReceiptKind, string> = { delivered: "", read: "" };
  private readonly wanted: Record<ReceiptKind, string> = { delivered: "", read: "" };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();

  /**
   * @param post    sends one acknowledgement; may reject (the id stays unacknowledged).
   * @param delayMs batching window, in ms.
   */
  constructor(
    private readonly post: (kind: ReceiptKind, upTo: string) => Promise<void>,
    private readonly delayMs = 300,
  ) {}

  /** The highest id acknowledged as read so far ("" for none). */
  get readUpTo(): string {
    return this.acked.read;
  }

  /** Records ids the server already knows were read (history), so they are not re-sent. */
  known(kind: ReceiptKind, upTo: string): void {
    if (upTo > this.acked[kind]) this.acked[kind] = upTo;
  }

  /** Asks for an acknowledgement of every agent message up to and including `upTo`. */
  request(kind: ReceiptKind, upTo: string): void {
    if (upTo <= this.acked[kind] || upTo <= this.wanted[kind]) return;
    this.wanted[kind] = upTo;
    if (this.timer === undefined) this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Drops pending work (session ended). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wanted.delivered = this.wanted.read = "";
  }

  private flush(): Promise<void> {
    this.timer = undefined;
    // Flushes run one after another, which keeps delivered ahead of read on the wire.
    this.chain = this.chain.then(async () => {
      for (const kind of ["delivered", "read"] as const) {
        const upTo = this.wanted[kind];
        if (upTo <= this.acked[kind]) continue;
        try {
          await this.post(kind, upTo);
          if (upTo > this.acked[kind]) this.acked[kind] = upTo;
        } catch {
          // Left unacknowledged; the next request() of this kind schedules another try.
        }
        if (this.wanted[kind] === upTo) this.wanted[kind] = "";
      }
    });
    return this.chain;
  }
}
