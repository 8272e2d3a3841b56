// The heartbeat thread of a RedisFanout node (started by redis-heartbeat-thread.ts, which
// documents the design). Plain JavaScript: on Node 20 a worker cannot load TypeScript without a
// loader of its own (tsx in a worker costs about 20 MB and half a second), and this file needs
// only ioredis.
//
// Every `intervalMs` it renews the node's heartbeat with the HEARTBEAT script of
// redis-scripts.ts (passed in as source), unless the main thread has made no progress for
// `stallToleranceMs` (`progress[0]` holds the Date.now() at which the main thread last ran its
// progress timer): a node whose event loop is stuck for good must still be found dead.
// Messages to the main thread: {type: "beating"} after the first beat that succeeded (and the
// first after a failure), {type: "registered"} when a beat found the node unregistered (it had
// been swept), {type: "failed", message}, {type: "stalled", ms}. On {type: "stop"} it stops beating, waits for
// the beat in flight, QUITs (so no beat can land after the node left) and answers {type: "stopped"}.
import { parentPort, workerData } from "node:worker_threads";
import { Redis } from "ioredis";

/**
 * @type {{ url: string, connectionName: string, heartbeatKey: string, nodesKey: string, nodeId: string,
 *   intervalMs: number, ttlMs: number, stallToleranceMs: number, script: string, progress: BigInt64Array }}
 */
const options = workerData;
const port = parentPort;
if (port === null) throw new Error("redis-heartbeat.worker.mjs runs as a worker thread only");

const redis = new Redis(options.url, {
  connectionName: options.connectionName,
  // A beat is worth nothing late: fail at once while disconnected, never resend.
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  commandTimeout: options.ttlMs,
  // No reply this long after a write: the connection is half-open; reconnect.
  socketTimeout: options.ttlMs,
  retryStrategy: () => Math.min(options.intervalMs, 1_000),
});
// Reported per beat (failed); an EventEmitter without an "error" listener would throw.
redis.on("error", () => undefined);
redis.defineCommand("heartbeat", { numberOfKeys: 2, lua: options.script });

let stalled = false;
let beating = false;
/** @type {Promise<void> | undefined} */
let inFlight;

function beat() {
  // When the main thread last showed progress, by its own clock reading (this thread may itself
  // run late: the time it notices progress says nothing about when that happened).
  const silentMs = Date.now() - Number(Atomics.load(options.progress, 0));
  if (silentMs > options.stallToleranceMs) {
    if (!stalled) port.postMessage({ type: "stalled", ms: silentMs });
    stalled = true;
    return;
  }
  stalled = false;
  if (inFlight !== undefined || redis.status !== "ready") return;
  inFlight = /** @type {Promise<unknown>} */ (
    /** @type {any} */ (redis).heartbeat(options.heartbeatKey, options.nodesKey, options.nodeId, options.ttlMs, Date.now())
  )
    .then(
      (registered) => {
        if (!beating) port.postMessage({ type: "beating" });
        beating = true;
        if (Number(registered) === 1) port.postMessage({ type: "registered" });
      },
      (error) => {
        beating = false;
        port.postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      },
    )
    .finally(() => {
      inFlight = undefined;
    });
}

const timer = setInterval(beat, options.intervalMs);
redis.on("ready", beat);

port.on("message", async (message) => {
  if (message?.type !== "stop") return;
  clearInterval(timer);
  redis.off("ready", beat);
  await inFlight;
  try {
    if (redis.status === "ready") await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
  port.postMessage({ type: "stopped" });
  port.close();
});
