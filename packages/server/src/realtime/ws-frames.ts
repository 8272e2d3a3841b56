/**
 * Writing a broadcast the way the raw limit does: the WebSocket frame (RFC 6455 § 5.2 header +
 * payload) is built ONCE per broadcast and the same bytes are written to every subscriber's TCP
 * socket. `ws.send` would frame again for every recipient: a header allocation, an options object
 * and a corked two-part write per socket (ws issues #617 and #1009 discuss this; ws exposes
 * `Sender.frame` for it but no way to send a pre-built frame, hence the socket write here).
 *
 * Writing past ws is safe only while its sender would itself write at once, in order: server
 * frames are unmasked, permessage-deflate is off (RealtimeServer disables it) and no Blob is
 * sent, so ws's sender never queues and every ws write goes straight to the same socket. Those
 * conditions hold for a connection's life once they hold after the handshake, so
 * {@link directSocket} checks them once per connection; when ws's internals are not as expected
 * (a future ws) it gives nothing and {@link writeTextFrame} uses `ws.send`, which stays correct,
 * only slower.
 *
 * Frames written to one socket in one event-loop turn leave in one system call when broadcasts
 * come faster than the loop turns (several publishes read in one poll phase): each socket written
 * to is corked, and a single `setImmediate` uncorks every corked socket after the turn's I/O
 * callbacks (Node then writes the socket's frames with one `writev`). The system call is most of
 * a delivery's cost, so under load each subscriber costs one write per turn instead of one per
 * broadcast, as uWebSockets corks. At a calm rate (the last turn with a broadcast had one) a
 * turn's first broadcast is written straight to each socket instead, as the raw limit does: a
 * cork, an array entry and a one-chunk `writev` per socket would only add to it; its later
 * broadcasts cork. Frames of one connection alone (its subscription answers) always cork.
 * Corking holds ws's own frames (pongs, close) in order with ours, and `end()` uncorks.
 */
import { WebSocket } from "ws";

/** The TCP socket under a ws connection, as this module writes to it. */
export interface FrameSocket {
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
  /** How many times the socket is corked (0: writes go out at once). */
  readonly writableCorked: number;
  /** Bytes accepted but not yet handed to the kernel (corked ones included). */
  readonly writableLength: number;
}

/** The ws internals this module reads (ws 8: lib/websocket.js, lib/sender.js). */
interface WebSocketInternals {
  _socket?: FrameSocket | null;
  _sender?: { _state?: unknown; _queue?: unknown } | null;
}

/** Sender state DEFAULT of ws 8: nothing is being compressed or read from a Blob. */
const SENDER_IDLE = 0;

/**
 * The socket frames of `ws` may be written to directly, checked once after the handshake (see the
 * module comment): undefined when permessage-deflate was negotiated or ws's internals are not
 * those of ws 8 (then write through ws).
 */
export function directSocket(ws: WebSocket): FrameSocket | undefined {
  const { _socket: socket, _sender: sender } = ws as unknown as WebSocketInternals;
  if (socket == null || typeof socket.write !== "function" || typeof socket.cork !== "function" || sender == null) return undefined;
  if (sender._state !== SENDER_IDLE || !Array.isArray(sender._queue) || sender._queue.length > 0 || ws.extensions !== "") return undefined;
  return socket;
}

// The last shared payload and its frame. The fan-out hands one broadcast's payload to all its
// subscribers in one synchronous loop, so remembering the last one frames each broadcast once,
// with an identity check per socket (cheaper than a WeakMap lookup on this hot path).
let lastPayload: Buffer | undefined;
let lastFrame: Buffer | undefined;
// Shared payloads framed in this turn, and whether the last turn with any had more than one:
// a calm turn's first broadcast goes out uncorked (see the module comment).
let broadcastsThisTurn = 0;
let busy = false;
const newTurn = (): void => {
  busy = broadcastsThisTurn > 1;
  broadcastsThisTurn = 0;
};

/**
 * The unmasked, final text frame of `payload` in one contiguous Buffer, built once however many
 * sockets in a row ask for the same payload Buffer. The payload must not change after the call.
 * @param payload UTF-8 text, e.g. an encoded Pusher event.
 */
export function sharedTextFrame(payload: Buffer): Buffer {
  if (payload !== lastPayload || lastFrame === undefined) {
    lastFrame = textFrame(payload);
    lastPayload = payload;
    if (++broadcastsThisTurn === 1) setImmediate(newTurn);
  }
  return lastFrame;
}

/** The unmasked, final text frame of `payload` (RFC 6455 § 5.2) in one contiguous Buffer. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * Bytes accepted for `ws` but not yet handed to the kernel (its `bufferedAmount`).
 * @param socket `directSocket(ws)`.
 */
export function unsentBytes(ws: WebSocket, socket: FrameSocket | undefined): number {
  return socket === undefined ? ws.bufferedAmount : socket.writableLength;
}

/**
 * Writes `payload` as one text frame, with a single write to `socket` when there is one (see the
 * module comment), else through `ws.send`.
 * @param socket `directSocket(ws)`.
 * @param shared true when the same payload Buffer goes to many sockets: it is then framed once
 *   for all of them ({@link sharedTextFrame}).
 * @returns false (and writes nothing) unless the connection is OPEN.
 */
export function writeTextFrame(ws: WebSocket, socket: FrameSocket | undefined, payload: Buffer, shared: boolean): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  if (socket === undefined) {
    ws.send(payload, { binary: false });
    return true;
  }
  const frame = shared ? sharedTextFrame(payload) : textFrame(payload);
  // Corked by us this turn already when > 0: ws's own corks are released before it returns.
  if (socket.writableCorked === 0 && !(shared && broadcastsThisTurn === 1 && !busy)) corkForTurn(socket);
  socket.write(frame);
  return true;
}

// Sockets corked in this turn, uncorked together by one setImmediate (see the module comment).
let corked: FrameSocket[] = [];

function corkForTurn(socket: FrameSocket): void {
  socket.cork();
  if (corked.push(socket) === 1) setImmediate(uncorkAll);
}

function uncorkAll(): void {
  const sockets = corked;
  corked = [];
  // A socket ended meanwhile was uncorked by end(); uncork() is then a no-op.
  for (const socket of sockets) socket.uncork();
}
