import { fullJitter } from "./backoff.ts";

/** The part of the browser WebSocket the client uses (test doubles and `ws` are cast to it). */
export type SocketLike = Pick<WebSocket, "send" | "close" | "onopen" | "onmessage" | "onclose" | "onerror">;

/** A WebSocket constructor (the browser's, or an injected one). */
export type SocketConstructor = new (url: string) => SocketLike;

/**
 * - connecting: a socket is opening, authorizing or subscribing.
 * - subscribed: the channel is live; events flow.
 * - down: no usable socket; a reconnect is scheduled.
 * - closed: disconnect() was called; nothing will happen any more.
 */
export type RealtimeState = "connecting" | "subscribed" | "down" | "closed";

export interface RealtimeOptions {
  /** Full URL: `ws(s)://host/app/{key}?protocol=7&client=...&version=...`. */
  url: string;
  /** The private channel to subscribe to. */
  channel: string;
  /**
   * Returns the `auth` string for (socket_id, channel); rejecting counts as a subscription
   * failure (retried later, not at once).
   */
  authorize: (socketId: string, channel: string) => Promise<string>;
  /** Receives each event of the channel with its `data` parsed from JSON. */
  onEvent: (event: string, data: unknown) => void;
  onState?: (state: RealtimeState) => void;
  WebSocket: SocketConstructor;
  /** Source of [0, 1) numbers for back-off jitter. */
  random?: () => number;
  /** How long to wait for any frame after our ping before giving up on the socket, in ms. */
  pongTimeoutMs?: number;
  /** How long connect + authorize + subscribe may take before the attempt is abandoned, in ms. */
  handshakeTimeoutMs?: number;
}

interface Frame {
  event?: unknown;
  channel?: unknown;
  data?: unknown;
}

// pusher-js never waits longer than 120 s of silence before pinging, whatever the server says.
const MAX_ACTIVITY_MS = 120_000;
// Close code we use locally for "the subscription was refused": the 4000–4099 family means
// "do not reconnect straight away".
const REFUSED = 4009;
const PONG_MISSED = 4201;

function parse(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * A minimal Pusher Channels protocol v7 client for one private channel: connect, authorize,
 * subscribe, keepalive (ping after the server's activity_timeout, reconnect when no pong),
 * and reconnect with jittered exponential back-off chosen by close code:
 * 4000–4099 (refused) retry only after 30 s or more; 4100–4199 after at least 1 s;
 * 4200–4299 soon (0–250 ms at first); anything else 0–1 s at first; all grow to 30 s+.
 * No DOM; no timers survive disconnect().
 */
export class RealtimeClient {
  private socket: SocketLike | null = null;
  private current: RealtimeState = "closed";
  private attempt = 0;
  private activityMs = MAX_ACTIVITY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private activityTimer: ReturnType<typeof setTimeout> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RealtimeOptions) {}

  /** The connection state. */
  get state(): RealtimeState {
    return this.current;
  }

  /** Opens the connection (no-op when already open or connecting). */
  connect(): void {
    if (this.socket || this.current === "connecting" || this.current === "subscribed") return;
    clearTimeout(this.retryTimer);
    this.setState("connecting");
    let socket: SocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url);
    } catch {
      this.lost(1006);
      return;
    }
    this.socket = socket;
    // A socket that opens but never completes the handshake would otherwise hang forever.
    this.handshakeTimer = setTimeout(() => this.lost(1006), this.options.handshakeTimeoutMs ?? 20_000);
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(socket, String(event.data));
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.lost(event.code);
    };
    // An error is always followed by a close; the close decides what happens.
    socket.onerror = () => {};
  }

  /** Closes the connection for good; cancels every timer. */
  disconnect(): void {
    this.drop();
    clearTimeout(this.retryTimer);
    this.setState("closed");
  }

  /**
   * Sends a client event (name must start with "client-") on the channel. Returns false, and
   * sends nothing, unless subscribed.
   */
  trigger(event: string, data: unknown): boolean {
    if (this.current !== "subscribed" || !this.socket) return false;
    return this.write(this.socket, { event, channel: this.options.channel, data });
  }

  private receive(socket: SocketLike, raw: string): void {
    // Any frame proves the connection alive.
    this.armKeepalive(socket);
    const frame = parse(raw) as Frame | null;
    if (!frame || typeof frame !== "object" || typeof frame.event !== "string") return;
    const { event, channel } = frame;
    switch (event) {
      case "pusher:connection_established":
        this.established(socket, parse(frame.data) as { socket_id?: unknown; activity_timeout?: unknown });
        return;
      case "pusher:ping":
        this.write(socket, { event: "pusher:pong", data: {} });
        return;
      case "pusher_internal:subscription_succeeded":
        if (channel !== this.options.channel) return;
        clearTimeout(this.handshakeTimer);
        this.attempt = 0;
        this.setState("subscribed");
        return;
      case "pusher:subscription_error":
        this.refuse();
        return;
      default:
        if (channel === this.options.channel && !event.startsWith("pusher")) {
          this.options.onEvent(event, parse(frame.data));
        }
    }
  }

  private established(socket: SocketLike, data: { socket_id?: unknown; activity_timeout?: unknown } | null): void {
    const timeout = Number(data?.activity_timeout);
    this.activityMs = timeout > 0 ? Math.min(MAX_ACTIVITY_MS, timeout * 1000) : MAX_ACTIVITY_MS;
    this.armKeepalive(socket);
    const socketId = data?.socket_id;
    if (typeof socketId !== "string") {
      this.refuse();
      return;
    }
    const { channel } = this.options;
    this.options.authorize(socketId, channel).then(
      (auth) => {
        if (this.socket === socket) this.write(socket, { event: "pusher:subscribe", data: { channel, auth } });
      },
      () => {
        if (this.socket === socket) this.refuse();
      },
    );
  }

  private armKeepalive(socket: SocketLike): void {
    clearTimeout(this.activityTimer);
    clearTimeout(this.pongTimer);
    this.activityTimer = setTimeout(() => {
      this.write(socket, { event: "pusher:ping", data: {} });
      this.pongTimer = setTimeout(() => this.lost(PONG_MISSED), this.options.pongTimeoutMs ?? 10_000);
    }, this.activityMs);
  }

  private refuse(): void {
    this.lost(REFUSED);
  }

  // The socket is gone or useless: drop it and schedule the next attempt by close code.
  private lost(code: number): void {
    if (this.current === "closed") return;
    this.drop();
    this.setState("down");
    const random = this.options.random ?? Math.random;
    const n = this.attempt++;
    let delay: number;
    if (code >= 4000 && code < 4100) delay = 30_000 + fullJitter(n, 30_000, 300_000, random);
    else if (code >= 4100 && code < 4200) delay = 1000 + fullJitter(n, 1000, 30_000, random);
    else if (code >= 4200 && code < 4300) delay = fullJitter(n, 250, 30_000, random);
    else delay = fullJitter(n, 1000, 30_000, random);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private drop(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.activityTimer);
    clearTimeout(this.pongTimer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onopen = null;
    try {
      socket.close(1000);
    } catch {
      // Already closed or still connecting in an old browser: nothing to clean up.
    }
  }

  private write(socket: SocketLike, frame: object): boolean {
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private setState(state: RealtimeState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState?.(state);
  }
}
