/**
 * Test support for Redis-backed suites: a unique key prefix per run, cleanup of that prefix,
 * and a TCP proxy to cut a node off Redis (a partition, or a dead node as the others see it).
 * Test-only. Suites skip themselves when REDIS_URL is unset (CI sets it).
 */
import { randomBytes } from "node:crypto";
import { createConnection, createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import { Redis } from "ioredis";

/** REDIS_URL from the environment, or undefined (Redis suites skip). */
export function testRedisUrl(): string | undefined {
  return process.env["REDIS_URL"] || undefined;
}

/** A fresh prefix `parley-test-{hex}:`; `redis-cli --scan --pattern 'parley-test-*'` finds leftovers. */
export function uniqueTestPrefix(): string {
  return `parley-test-${randomBytes(6).toString("hex")}:`;
}

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK, never KEYS).
 * @returns how many keys were deleted.
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  try {
    return await deleteKeys(redis, prefix);
  } finally {
    await redis.quit();
  }
}

/** Keys starting with `prefix`, sorted. */
export async function keysWithPrefix(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 })) keys.push(...(batch as string[]));
    return [...new Set(keys)].sort();
  } finally {
    await redis.quit();
  }
}

async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const batch of redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 })) {
    const keys = batch as string[];
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * A TCP proxy in front of Redis, to fail a node's connection the two ways networks fail:
 * `cut()` resets every connection and refuses new ones (Redis restarted or a port closed: the
 * client notices at once); `stall()` silently stops forwarding and accepts connections it never
 * serves (a vanished host or a half-open connection: nothing tells the client). `restore()`
 * serves again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly pipes = new Set<{ client: Socket; upstream: Socket }>();
  private mode: "open" | "cut" | "stalled" = "open";

  private constructor(
    private readonly server: Server,
    /** `redis://127.0.0.1:{port}` of the proxy. */
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1:0 and forwards to the host and port of `targetUrl`. */
  static async start(targetUrl: string): Promise<TcpProxy> {
    const target = new URL(targetUrl);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const auth = target.username || target.password ? `${target.username}:${target.password}@` : "";
    const proxy = new TcpProxy(server, `redis://${auth}127.0.0.1:${port}${target.pathname}`);
    server.on("connection", (client) => proxy.accept(client, target));
    return proxy;
  }

  /** Resets every proxied connection and refuses new ones until {@link restore}. */
  cut(): void {
    this.mode = "cut";
    this.dropAll();
  }

  /** Stops forwarding in both directions without closing anything, until {@link restore}. */
  stall(): void {
    this.mode = "stalled";
    for (const { client, upstream } of this.pipes) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Serves again; connections stalled meanwhile are reset (their state is lost anyway). */
  restore(): void {
    if (this.mode === "stalled") this.dropAll();
    this.mode = "open";
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: URL): void {
    if (this.mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    this.track(client);
    client.on("error", () => client.destroy());
    if (this.mode === "stalled") return;
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    this.track(upstream);
    const pipe = { client, upstream };
    this.pipes.add(pipe);
    const drop = () => {
      this.pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.pipes.clear();
  }
}
