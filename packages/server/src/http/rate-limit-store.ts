import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * The Redis connection @fastify/rate-limit counts in when Parley runs on several nodes, so a
 * client's per-minute budget is one budget cluster-wide rather than one per node. Commands fail
 * fast while Redis is away (the limiter then lets requests through: availability over
 * strictness) and a stalled one costs one request 500 ms, not every request; errors are logged
 * once per distinct message instead of crashing the process.
 */
export function rateLimitRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: "parley-rate-limit",
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    // A stalled Redis (no reply, no reset) would cost every request the 500 ms: the first
    // silence drops the connection instead, and requests skip the limiter at once until a
    // reconnect gets answers again.
    socketTimeout: 500,
  });
  let lastError = "";
  redis.on("error", (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error }, "rate-limit redis unavailable; requests are not limited meanwhile");
  });
  redis.on("ready", () => {
    lastError = "";
  });
  return redis;
}
