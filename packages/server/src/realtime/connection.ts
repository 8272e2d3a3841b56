/**
 * One client connection: its typed state, a bounded writer, and a serial task runner.
 */
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import { encodeServerFrame, PusherEvent } from "@parley/protocol";
import type { ChannelDescriptor, PresenceMember, ServerFrame } from "@parley/protocol";
import type { Watched } from "./activity.ts";
import type { FanoutSubscriber } from "./fanout/message.ts";
import type { TokenBucket } from "./rate-limit.ts";
import { directSocket, unsentBytes, writeTextFrame } from "./ws-frames.ts";
import type { FrameSocket } from "./ws-frames.ts";

/** A subscription this connection holds. */
export interface Subscription {
  channel: ChannelDescriptor;
  /** The presence member this connection joined as (presence channels only). */
  member?: PresenceMember;
}

/** `open` until the server or the client starts closing; `closed` once the socket is gone. */
export type ConnectionState = "open" | "closing" | "closed";

/** What a connection needs from the server. */
export interface ConnectionDeps {
  logger: Logger;
  /** Unsent bytes allowed before the connection is dropped as a slow consumer. */
  maxBufferedBytes: number;
  /** Counts the frames sent to this connection alone (broadcasts are counted by the fan-out). */
  messagesOut: { inc(n?: number): void };
  /** Called once when the connection is dropped for exceeding `maxBufferedBytes`. */
  onSlowConsumer(connection: Connection): void;
}

type Task = () => void | Promise<void>;

/**
 * A connected client: subscriptions, signed-in user, rate limiter, activity, writer. Kept small:
 * a node holds one per idle browser tab, so per-connection state is fields, not closures or timers.
 */
export class Connection implements FanoutSubscriber, Watched {
  /** Channel name → subscription. */
  readonly subscriptions = new Map<string, Subscription>();
  /** User id from a successful `pusher:signin`, if any. */
  userId: string | undefined;
  state: ConnectionState = "open";
  /** Created on the first client event: most connections never send one. */
  clientEventBucket: TokenBucket | undefined;
  /** When the client was last heard from, and when it was pinged (0: no ping outstanding); see activity.ts. */
  lastActivityAt = 0;
  pingSentAt = 0;

  private readonly queue: Task[] = [];
  private running = false;
  /** Created when someone waits for the close (a shutting-down server), not for every connection. */
  private closedWaiter: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Where frames are written past ws (ws-frames.ts); undefined to write through ws. */
  private readonly socket: FrameSocket | undefined;

  /**
   * @param socketId `"{int}.{int}"`.
   * @param address the client's address (TRUST_PROXY resolved), for per-address limits and logs.
   */
  constructor(
    readonly socketId: string,
    readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
    readonly address: string,
  ) {
    this.socket = directSocket(ws);
  }

  /** Resolves once the socket is gone and {@link markClosed} ran. */
  get closed(): Promise<void> {
    if (this.state === "closed") return Promise.resolve();
    if (this.closedWaiter === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => {
        resolve = settle;
      });
      this.closedWaiter = { promise, resolve };
    }
    return this.closedWaiter.promise;
  }

  /**
   * Writes a broadcast: an encoded text payload the fan-out hands, as the same Buffer, to every
   * subscriber; it is framed once for all of them (ws-frames.ts). Not counted here: the fan-out
   * counts a broadcast's recipients at once. Bounded: when the bytes not yet handed to the kernel
   * plus this frame would exceed `maxBufferedBytes` the connection is terminated
   * (PUSHER_PROTOCOL.md § Fan-out craft: drop a consumer that stops reading rather than growing
   * memory without limit).
   * @returns false when not written.
   */
  write(frame: Buffer): boolean {
    return this.put(frame, true);
  }

  /** Writes an encoded text payload to this connection only (bounded like {@link write}), counted. */
  sendEncoded(payload: Buffer | string): boolean {
    const written = this.put(typeof payload === "string" ? Buffer.from(payload) : payload, false);
    if (written) this.deps.messagesOut.inc();
    return written;
  }

  /** Encodes and writes one frame to this connection only. */
  send(frame: ServerFrame): boolean {
    return this.sendEncoded(encodeServerFrame(frame));
  }

  /**
   * Sends `pusher:error` (pusher-websockets-protocol.md § System Events). Does not close.
   * @param code a protocol code (e.g. 4301), omitted for generic errors.
   */
  sendError(message: string, code?: number): void {
    this.send({ event: PusherEvent.Error, data: code === undefined ? { message } : { message, code } });
  }

  /** Starts a close handshake with a protocol close code. The `close` event finishes the cleanup. */
  close(code: number, reason: string): void {
    if (this.state !== "open") return;
    this.state = "closing";
    this.ws.close(code, reason);
    // A peer that never answers the close frame must not hold the socket (ws waits 30 s).
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  /** Called by the server when the socket is gone. */
  markClosed(): void {
    this.state = "closed";
    this.queue.length = 0;
    this.closedWaiter?.resolve();
  }

  /**
   * Runs `task` after the tasks queued before it, so the frames of one connection are handled in
   * order even when a handler awaits the fan-out (e.g. presence). Synchronous tasks run at once
   * when nothing is pending, without allocating a promise. Errors are logged and reported to the
   * client as a `pusher:error`.
   */
  run(task: Task): void {
    if (this.state === "closed") return;
    if (this.running) {
      this.queue.push(task);
      return;
    }
    this.execute(task);
  }

  private execute(task: Task): void {
    let result: void | Promise<void>;
    try {
      result = task();
    } catch (error) {
      this.fail(error);
      this.next();
      return;
    }
    if (result === undefined) {
      this.next();
      return;
    }
    this.running = true;
    result.then(
      () => {
        this.running = false;
        this.next();
      },
      (error: unknown) => {
        this.running = false;
        this.fail(error);
        this.next();
      },
    );
  }

  private next(): void {
    const task = this.queue.shift();
    if (task !== undefined && this.state !== "closed") this.execute(task);
  }

  private fail(error: unknown): void {
    this.deps.logger.error({ err: error, socketId: this.socketId }, "realtime handler failed");
    this.sendError("Internal server error");
  }

  /** @param shared whether the same payload goes to other sockets too (then framed once for all). */
  private put(payload: Buffer, shared: boolean): boolean {
    if (this.state !== "open") return false;
    if (unsentBytes(this.ws, this.socket) + payload.length > this.deps.maxBufferedBytes) {
      this.dropSlowConsumer();
      return false;
    }
    return writeTextFrame(this.ws, this.socket, payload, shared);
  }

  private dropSlowConsumer(): void {
    this.state = "closing";
    // A close frame would queue behind the unread bytes; terminate frees them now.
    this.ws.terminate();
    this.deps.onSlowConsumer(this);
  }
}
