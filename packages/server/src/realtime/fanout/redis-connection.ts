/**
 * The two ioredis connections of a RedisFanout and the small helpers around them: how each is
 * configured (and why), logging their trouble without crashing, waiting for one, closing one.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";

/** A node's connections: commands (and PUBLISH), and the bus subscription. */
export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
}

/**
 * Opens both connections (ioredis connects in the background and reconnects for ever).
 * @param names `CLIENT SETNAME` of each. @param commandTimeoutMs ms before a command fails.
 */
export function openRedisConnections(url: string, names: { commands: string; subscriber: string }, commandTimeoutMs: number): RedisConnections {
  const commands = new Redis(url, {
    connectionName: names.commands,
    // Real-time work is worth nothing late: fail at once while disconnected rather than replay
    // stale publishes and presence changes after a reconnect, and never run a command twice
    // (a failed presence change is undone on a later heartbeat instead).
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    // No reply this long after a written command: the TCP connection is half-open (a vanished
    // host sends no RST). Destroy it and reconnect rather than wait for TCP keepalive.
    socketTimeout: commandTimeoutMs,
  });
  const subscriber = new Redis(url, {
    connectionName: names.subscriber,
    // Re-subscribes after every reconnect (Reverb #258 stops for good instead).
    autoResubscribe: true,
    // The first SUBSCRIBE waits for the connection however long it takes.
    maxRetriesPerRequest: null,
    // Armed by the PING the fan-out writes on each heartbeat: detects a half-open subscriber.
    socketTimeout: commandTimeoutMs,
  });
  return { commands, subscriber };
}

/** What {@link watchConnection} reports to. */
export interface ConnectionWatch {
  role: "commands" | "subscriber";
  logger: Logger;
  /** True once the owner is closing: closes are expected then, not logged. */
  closing: () => boolean;
  /** Called when the connection is back after a loss. */
  onRestored: () => void;
}

/**
 * Logs a connection's errors (once per distinct message, as ioredis repeats them on every retry)
 * and its losses and recoveries. Attaching an "error" listener is what keeps a Redis outage
 * from crashing the process: an EventEmitter without one throws.
 */
export function watchConnection(redis: Redis, watch: ConnectionWatch): void {
  const { role, logger } = watch;
  let down = false;
  let lastError = "";
  redis.on("error", (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error, role }, "redis connection error");
  });
  redis.on("close", () => {
    if (down || watch.closing()) return;
    down = true;
    logger.warn({ role }, "redis connection lost; reconnecting");
  });
  redis.on("ready", () => {
    lastError = "";
    if (!down) return;
    down = false;
    logger.info(
      { role },
      role === "subscriber" ? "redis subscriber reconnected and re-subscribing; events published meanwhile were missed" : "redis connection restored",
    );
    watch.onRestored();
  });
}

/** Resolves when `redis` is ready; rejects when it ends (closed) first. */
export function untilReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off("end", onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off("ready", onReady);
      reject(new Error("Redis connection closed"));
    };
    redis.once("ready", onReady);
    redis.once("end", onEnd);
  });
}

/** QUITs after pending replies when connected; otherwise drops the connection and its retries. Never throws. */
export async function quit(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  if (redis.status !== "ready") {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** Replies of a pipeline or transaction. @throws {Error} the first command's error, or when discarded. */
export function pipelineResults(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (results === null) throw new Error("Redis transaction discarded");
  return results.map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}
