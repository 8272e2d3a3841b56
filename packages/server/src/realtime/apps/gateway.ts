/**
 * One WebSocket endpoint for several Pusher apps on the same port: `/app/{key}` picks the app's
 * real-time server, so each app keeps its own connections, channels, presence and counts.
 * Upgrades for a key no app has, and bad paths under `/app`, go to the default server, whose
 * admission closes them with 4001 and 4005 (pusher-websockets-protocol.md § Error Codes).
 */
import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import type { RealtimeServer } from "../server.ts";
import { routeUpgrade } from "../upgrade.ts";

/** Routes upgrade requests to the real-time server of the app they name. */
export class RealtimeGateway {
  private readonly servers = new Map<string, RealtimeServer>();
  private readonly listeners = new Map<HttpServer, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>();

  /**
   * @param fallback the server that refuses what no app claims (Parley's own).
   * @param servers every app's server, `fallback` included or not.
   * @throws {Error} when two servers serve the same key.
   */
  constructor(
    private readonly fallback: RealtimeServer,
    servers: readonly RealtimeServer[],
  ) {
    for (const server of new Set([fallback, ...servers])) {
      if (this.servers.has(server.app.key)) throw new Error(`Two real-time apps use the key ${server.app.key}`);
      this.servers.set(server.app.key, server);
    }
  }

  /** The server of the app with this key. */
  byKey(key: string): RealtimeServer | undefined {
    return this.servers.get(key);
  }

  /**
   * Handles `upgrade` requests under `/app` on `server`; other paths are left to other upgrade
   * listeners, or answered 404 when there are none. Attach this instead of each server's own
   * `attach()`.
   */
  attach(server: HttpServer): void {
    if (this.listeners.has(server)) return;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const route = routeUpgrade(req.url);
      if (route.kind === "other") {
        if (server.listenerCount("upgrade") <= 1) {
          socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
          socket.destroy();
        }
        return;
      }
      const target = route.kind === "app" ? (this.servers.get(route.key) ?? this.fallback) : this.fallback;
      target.acceptUpgrade(req, socket, head, route);
    };
    this.listeners.set(server, listener);
    server.on("upgrade", listener);
  }

  /** Stops routing upgrades (the servers close themselves). */
  detach(): void {
    for (const [server, listener] of this.listeners) server.off("upgrade", listener);
    this.listeners.clear();
  }
}
