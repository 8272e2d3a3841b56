// A WebSocket double a test drives frame by frame: every instance is kept in `FakeSocket.all`
// (reset it before each test), frames sent are recorded parsed, and `receive` plays a server
// frame. Pass it as the widget's `WebSocket`. Test-only; never bundled.
import type { SocketLike } from "../realtime.ts";

export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  sent: Array<{ event: string; channel?: string; data?: unknown }> = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  /** Delivers a server frame; `data` is JSON-encoded unless it is already a string. */
  receive(event: string, data: unknown, channel?: string) {
    this.onmessage?.({ data: JSON.stringify({ event, channel, data: typeof data === "string" ? data : JSON.stringify(data) }) });
  }
}
