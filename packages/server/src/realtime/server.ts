/**
 * The Pusher Channels protocol v7 server: accepts WebSocket upgrades on `/app/{key}`, keeps
 * per-connection state, and delivers broadcasts through a {@link Fanout}.
 */
import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { RawData, WebSocket } from "ws";
import {
  CLIENT_EVENTS_PER_SECOND,
  CLOSE_CODE_REASONS,
  CloseCode,
  classifyChannel,
  MAX_CHANNELS_PER_CONNECTION,
  MAX_EVENT_DATA_BYTES,
  MAX_PRESENCE_MEMBERS,
  PusherEvent,
} from "@parley/protocol";
import type { ConnectionEstablishedData, PresenceMember } from "@parley/protocol";
import { ActivitySweeper } from "./activity.ts";
import { channelStrategies } from "./channels/index.ts";
import { Connection, type ConnectionDeps } from "./connection.ts";
import { readClientFrame } from "./inbound-frame.ts";
import type { RealtimeContext } from "./context.ts";
import type { Fanout } from "./fanout/fanout.ts";
import { LocalFanout } from "./fanout/local.ts";
import type { EventMessage, FanoutNode } from "./fanout/message.ts";
import { createRealtimeMetrics } from "./metrics.ts";
import type { RealtimeMetrics } from "./metrics.ts";
import { closeStaggered } from "./shutdown.ts";
import { generateSocketId } from "./socket-id.ts";
import { SubscriptionCounts } from "./subscription-count.ts";
import type { ChannelStats, RealtimeApp, RealtimeServerOptions } from "./types.ts";
import { admission, routeUpgrade } from "./upgrade.ts";
import type { UpgradeRoute } from "./upgrade.ts";
import { Watchlists } from "./watchlist.ts";

/** Frames this much larger than `maxMessageBytes` are not even buffered: ws closes with 1009. */
const HARD_FRAME_LIMIT_FACTOR = 8;

const DEFAULTS = {
  activityTimeoutSeconds: 30,
  maxMessageBytes: MAX_EVENT_DATA_BYTES,
  maxBufferedBytes: 1024 * 1024,
  clientEventsPerSecond: CLIENT_EVENTS_PER_SECOND,
  activityGraceMs: 5_000,
  pongTimeoutMs: 30_000,
  staggerMs: 2_000,
  subscriptionCountIntervalMs: 1_000,
};

/** High-resolution wall clock in ms, comparable across processes (for broadcast latency). */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * One app's Pusher protocol v7 endpoint. Create it, `attach()` it to the HTTP server (or let a
 * RealtimeGateway route its upgrades, when several apps share the port), `publish()` after
 * database commits, `close()` on shutdown. Metrics, each labelled `app`: `parley_realtime_connections`,
 * `parley_realtime_messages_total{direction}`, `parley_realtime_broadcast_latency_seconds`,
 * `parley_realtime_slow_consumers_total`. Logs: debug per frame, info per lifecycle step.
 */
export class RealtimeServer {
  private readonly options: RealtimeServerOptions;
  private readonly fanout: Fanout;
  private readonly ownsFanout: boolean;
  private readonly logger: Logger;
  private readonly metrics: RealtimeMetrics;
  private readonly ctx: RealtimeContext;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly cleanups = new Set<Promise<void>>();
  private readonly httpServers = new Map<HttpServer, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>();
  private readonly maxMessageBytes: number;
  private readonly subscriptionCounts: SubscriptionCounts | undefined;
  private readonly activity: ActivitySweeper<Connection>;
  /**
   * The socket listeners, shared by every connection (the socket is `this`, its connection under
   * `connectionOf`): five closures per idle connection would cost more than the connection.
   */
  private readonly socketListeners: {
    message(this: WebSocket, raw: RawData, isBinary: boolean): void;
    heard(this: WebSocket): void;
    error(this: WebSocket, error: Error): void;
    close(this: WebSocket, code: number): void;
  };
  /**
   * What every connection needs from its server, one object for all of them: an object and a
   * closure per connection measured about 400 bytes of an idle connection's heap (a closure
   * named by the TypeScript loader keeps its name in a property dictionary of 256 bytes).
   */
  private readonly connectionDeps: ConnectionDeps;
  private closing: Promise<void> | undefined;

  /**
   * @throws {RangeError} when `activityTimeoutSeconds` is not > 0 (pusher-js rejects 0).
   * @throws {Error} when `fanout` is already bound to another server, or the registry already
   *   holds the `parley_realtime_*` metrics.
   */
  constructor(options: RealtimeServerOptions) {
    const activityTimeoutSeconds = options.activityTimeoutSeconds ?? DEFAULTS.activityTimeoutSeconds;
    if (!(activityTimeoutSeconds > 0)) throw new RangeError("activityTimeoutSeconds must be > 0");
    this.options = { ...options, activityTimeoutSeconds };
    // The caller decides the bindings (main.ts passes a `component: "realtime"` child).
    this.logger = options.logger;
    this.metrics = createRealtimeMetrics(options.registry, options.app.id);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
    this.activity = new ActivitySweeper<Connection>({
      idleMs: activityTimeoutSeconds * 1000 + (options.activityGraceMs ?? DEFAULTS.activityGraceMs),
      pongTimeoutMs: options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs,
      onIdle: (conn) => {
        conn.send({ event: PusherEvent.Ping, data: {} });
        // Browsers answer protocol pings themselves even when the page's JS is throttled.
        conn.ws.ping();
      },
      onDead: (conn) => conn.close(CloseCode.PongReplyNotReceived, CLOSE_CODE_REASONS[CloseCode.PongReplyNotReceived]),
    });
    this.connectionDeps = {
      logger: this.logger,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
      messagesOut: this.metrics.messagesOut,
      onSlowConsumer: (conn) => {
        this.metrics.slowConsumers.inc();
        this.logger.warn({ socketId: conn.socketId }, "realtime slow consumer dropped");
      },
    };
    const server = this;
    this.socketListeners = {
      message(raw, isBinary) {
        server.onFrame(connectionOfSocket(this), raw, isBinary);
      },
      heard() {
        server.activity.touch(connectionOfSocket(this));
      },
      error(error) {
        server.logger.debug({ err: error, socketId: connectionOfSocket(this).socketId }, "realtime socket error");
      },
      close(code) {
        server.onClose(connectionOfSocket(this), code);
      },
    };
    const now = options.now ?? Date.now;
    this.ownsFanout = options.fanout === undefined;
    this.fanout = options.fanout ?? new LocalFanout(now);
    this.fanout.bind(this.fanoutNode);
    const broadcast = (message: Omit<EventMessage, "type" | "publishedAt">): void => {
      this.fanout.publish({ type: "event", publishedAt: wallClockMs(), ...message }).catch((error: unknown) => {
        this.logger.error({ err: error, event: message.event }, "broadcast failed");
      });
    };
    const observer = options.subscriptions;
    const counts = (this.subscriptionCounts = options.subscriptionCount
      ? new SubscriptionCounts({
          fanout: this.fanout,
          broadcast,
          intervalMs: options.subscriptionCountIntervalMs ?? DEFAULTS.subscriptionCountIntervalMs,
          ...(observer?.subscriptionCount === undefined ? {} : { onCount: (channel, count) => observer.subscriptionCount?.(channel, count) }),
          logger: this.logger,
          now,
        })
      : undefined);
    this.ctx = {
      app: options.app,
      fanout: this.fanout,
      logger: this.logger,
      now,
      maxPresenceMembers: options.maxPresenceMembers ?? MAX_PRESENCE_MEMBERS,
      clientEventsPerSecond: options.clientEventsPerSecond ?? DEFAULTS.clientEventsPerSecond,
      enableClientEvents: options.enableClientEvents ?? true,
      userAuthentication: options.userAuthentication ?? true,
      maxChannelsPerConnection: options.maxChannelsPerConnection ?? MAX_CHANNELS_PER_CONNECTION,
      onClientEvent: options.onClientEvent,
      watchlists: new Watchlists(),
      subscribed: (_conn, channel, member) => {
        if (counts !== undefined && SubscriptionCounts.counts(channel)) counts.changed(channel.name);
        observer?.subscribed(channel, member);
      },
      unsubscribed: (_conn, channel, member) => {
        if (counts !== undefined && SubscriptionCounts.counts(channel)) counts.changed(channel.name);
        observer?.unsubscribed(channel, member);
      },
      broadcast,
    };
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: this.maxMessageBytes * HARD_FRAME_LIMIT_FACTOR,
    });
  }

  /**
   * Attaches to a Node HTTP server: handles `upgrade` requests for `/app/{key}` (anything else
   * under `/app` is accepted and closed with 4005 Path not found). Other paths are left to other
   * `upgrade` listeners, or answered 404 and destroyed when there are none.
   */
  attach(server: HttpServer): void {
    if (this.httpServers.has(server)) return;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(server, req, socket, head);
    this.httpServers.set(server, listener);
    server.on("upgrade", listener);
    this.logger.info("realtime server attached");
  }

  /**
   * Publishes one event to channels. `data` is JSON-encoded once unless already a string; each
   * channel's frame is then encoded once and the same bytes go to every subscriber.
   * @param channels valid channel names (see `classifyChannel`).
   * @param options.exceptSocketId a connection that must not receive it (rest-api.md `socket_id`).
   * @returns resolves when the fan-out took the message (local: written to every socket).
   * @throws {TypeError} on an invalid channel name or a `data` that JSON cannot encode.
   */
  async publish(channels: string[], event: string, data: unknown, options: { exceptSocketId?: string } = {}): Promise<void> {
    const publishedAt = wallClockMs();
    for (const channel of channels) {
      if (classifyChannel(channel) === null) throw new TypeError(`Invalid channel name: ${JSON.stringify(channel)}`);
    }
    const encoded = typeof data === "string" ? data : JSON.stringify(data);
    if (typeof encoded !== "string") throw new TypeError("data must be JSON-encodable");
    const message: EventMessage = { type: "event", channels, event, data: encoded, publishedAt };
    if (options.exceptSocketId !== undefined) message.exceptSocketId = options.exceptSocketId;
    await this.fanout.publish(message);
  }

  /** Members (distinct users with their info) of a presence channel across the fan-out. */
  async presenceMembers(channel: string): Promise<PresenceMember[]> {
    return this.fanout.presenceMembers(channel);
  }

  /**
   * Occupied channels with their counts across the fan-out (HTTP API `GET /channels`).
   * @param options.prefix only channels whose name starts with it.
   */
  async channels(options: { prefix?: string } = {}): Promise<Map<string, ChannelStats>> {
    const stats = await this.fanout.channelStats(options.prefix === undefined ? {} : { prefix: options.prefix });
    // Internal rooms (watchlist.ts) have names no client can use: not channels to report.
    for (const name of stats.keys()) if (classifyChannel(name) === null) stats.delete(name);
    return stats;
  }

  /** One channel's state (HTTP API `GET /channels/{name}`); unoccupied channels count 0. */
  async channel(name: string): Promise<ChannelStats & { occupied: boolean }> {
    const stats = (await this.fanout.channelStats({ names: [name] })).get(name);
    if (stats === undefined) {
      return classifyChannel(name)?.kind === "presence" ? { occupied: false, subscriptionCount: 0, userCount: 0 } : { occupied: false, subscriptionCount: 0 };
    }
    return { occupied: stats.subscriptionCount > 0, ...stats };
  }

  /**
   * Closes every connection of a user on every node with 4009: connections signed in as the user
   * (`pusher:signin`) and connections that joined a presence channel as the user.
   */
  async terminateUserConnections(userId: string): Promise<void> {
    await this.fanout.publish({ type: "terminate_user", userId });
  }

  /** The app this server serves. */
  get app(): RealtimeApp {
    return this.options.app;
  }

  /** False when the app is disabled: connections are refused with 4003. */
  get enabled(): boolean {
    return this.options.enabled ?? true;
  }

  /** Open connections on this node. */
  connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Graceful shutdown: refuses new upgrades (HTTP 503), then closes every connection with 4200
   * spread evenly over `staggerMs` so pusher-js clients, which reconnect at once on 42xx, do not
   * stampede. Resolves when every socket is closed and presence departures are announced.
   * @param options.staggerMs spread of the closes in ms; default 2000.
   */
  close(options: { staggerMs?: number } = {}): Promise<void> {
    this.closing ??= this.shutdown(options.staggerMs ?? DEFAULTS.staggerMs);
    return this.closing;
  }

  private async shutdown(staggerMs: number): Promise<void> {
    const connections = [...this.connections.values()];
    this.logger.info({ connections: connections.length }, "realtime server closing");
    await closeStaggered(connections, staggerMs);
    await Promise.all(this.cleanups);
    this.subscriptionCounts?.close();
    this.activity.stop();
    for (const [server, listener] of this.httpServers) server.off("upgrade", listener);
    this.httpServers.clear();
    this.fanout.unbind();
    if (this.ownsFanout) await this.fanout.close();
    this.wss.close();
    this.logger.info("realtime server closed");
  }

  private readonly fanoutNode: FanoutNode = {
    // Once per broadcast, whatever its number of recipients: nothing here runs per delivery.
    delivered: (message, recipients) => {
      if (recipients > 0) this.metrics.messagesOut.inc(recipients);
      this.metrics.broadcastLatency.observe(Math.max(0, wallClockMs() - message.publishedAt) / 1000);
      if (this.logger.isLevelEnabled("debug")) {
        this.logger.debug({ event: message.event, channels: message.channels.length, recipients }, "broadcast delivered");
      }
    },
    terminateUser: (userId) => {
      for (const conn of this.connections.values()) {
        const isUser = conn.userId === userId || [...conn.subscriptions.values()].some((s) => s.member?.id === userId);
        if (isUser) conn.close(CloseCode.ConnectionUnauthorized, "Connection terminated by the server");
      }
    },
  };

  private onUpgrade(server: HttpServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const route = routeUpgrade(req.url);
    if (route.kind === "other") {
      // Leave it to another upgrade handler when this server has one.
      if (server.listenerCount("upgrade") <= 1) rejectHttp(socket, 404, "Not Found");
      return;
    }
    this.acceptUpgrade(req, socket, head, route);
  }

  /**
   * Completes a WebSocket upgrade that was routed here (by {@link attach}'s listener, or by a
   * RealtimeGateway that picked this app by its key): answers 503 while closing, else accepts it
   * and either opens a connection or closes it with the refusal's code (4001 another key, 4003
   * app disabled, 4004 over the app's quota, 4005 bad path, 4007 protocol, 4100 over capacity).
   */
  acceptUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, route: UpgradeRoute): void {
    if (this.closing !== undefined) {
      rejectHttp(socket, 503, "Service Unavailable");
      return;
    }
    const address = this.options.clientAddress?.(req) ?? req.socket.remoteAddress ?? "";
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, route, address));
  }

  /** @param address the client's address (see `RealtimeServerOptions.clientAddress`). */
  private onSocket(ws: WebSocket, route: UpgradeRoute, address: string): void {
    const refusal = admission({
      route,
      appKey: this.options.app.key,
      enabled: this.options.enabled ?? true,
      openConnections: this.connections.size,
      appConnections: this.connections.size + (this.options.connectionsElsewhere?.() ?? 0),
      connectionQuota: this.options.connectionQuota ?? Number.POSITIVE_INFINITY,
      maxConnections: this.options.maxConnections ?? Number.POSITIVE_INFINITY,
    });
    const perAddress = this.options.connectionsPerAddress;
    if (refusal !== null || (perAddress !== undefined && !perAddress.tryAcquire(address))) {
      const code = refusal ?? CloseCode.OverCapacity;
      const message = refusal === null ? "Over capacity: too many connections from this address" : CLOSE_CODE_REASONS[code];
      // Protocol ≥ 6 reads the close code; older clients and some libraries read the error event.
      ws.send(JSON.stringify({ event: PusherEvent.Error, data: { message, code } }));
      ws.close(code, message);
      this.logger.info({ code, ip: address }, "realtime connection refused");
      return;
    }
    const conn = new Connection(generateSocketId(), ws, this.connectionDeps, address);
    const activityTimeoutSeconds = this.options.activityTimeoutSeconds ?? DEFAULTS.activityTimeoutSeconds;
    this.connections.set(conn.socketId, conn);
    this.metrics.connections.inc();
    (ws as SocketWithConnection)[connectionOf] = conn;
    ws.on("message", this.socketListeners.message);
    ws.on("ping", this.socketListeners.heard);
    ws.on("pong", this.socketListeners.heard);
    ws.on("error", this.socketListeners.error);
    ws.on("close", this.socketListeners.close);
    const established: ConnectionEstablishedData = { socket_id: conn.socketId, activity_timeout: activityTimeoutSeconds };
    conn.send({ event: PusherEvent.ConnectionEstablished, data: JSON.stringify(established) });
    this.activity.add(conn);
    this.logger.info({ socketId: conn.socketId, ip: address }, "realtime connection opened");
  }

  private onFrame(conn: Connection, raw: RawData, isBinary: boolean): void {
    this.activity.touch(conn);
    this.metrics.messagesIn.inc();
    readClientFrame(this.ctx, conn, raw, isBinary, this.maxMessageBytes);
  }

  private onClose(conn: Connection, code: number): void {
    if (!this.connections.delete(conn.socketId)) return;
    conn.markClosed();
    this.activity.remove(conn);
    this.options.connectionsPerAddress?.release(conn.address);
    this.metrics.connections.dec();
    this.logger.info({ socketId: conn.socketId, code }, "realtime connection closed");
    if (conn.subscriptions.size === 0 && conn.userId === undefined) return;
    const cleanup = Promise.all([
      ...[...conn.subscriptions.values()].map((s) => channelStrategies[s.channel.kind].unsubscribe(this.ctx, conn, s.channel.name)),
      this.ctx.watchlists.signOut(this.ctx, conn),
    ]).then(
      () => undefined,
      (error: unknown) => this.logger.error({ err: error, socketId: conn.socketId }, "realtime cleanup failed"),
    );
    this.cleanups.add(cleanup);
    void cleanup.finally(() => this.cleanups.delete(cleanup));
  }
}

/** Where a socket keeps its connection, for the shared socket listeners. */
const connectionOf = Symbol("connection");
type SocketWithConnection = WebSocket & { [connectionOf]: Connection };

function connectionOfSocket(socket: WebSocket): Connection {
  return (socket as SocketWithConnection)[connectionOf];
}

function rejectHttp(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
