/**
 * How long a dead node's presence members outlive it (issue 8, part 4): a node in a child
 * process joins a presence channel as a user and is killed with SIGKILL (as a crash or the OOM
 * killer would); a node in this process, which watches the channel, times the `member_removed`
 * its sweep announces, from the kill. Default heartbeat timings (REDIS_FANOUT_DEFAULTS); each
 * kill lands at a random point of the dying node's heartbeat interval. Needs REDIS_URL; keys live
 * under a prefix of their own, deleted at the end.
 */
import { fork } from "node:child_process";
import { pino } from "pino";
import { percentiles } from "./agent-to-visitor-latency.ts";
import type { Percentiles } from "./agent-to-visitor-latency.ts";
import { REDIS_FANOUT_DEFAULTS, RedisFanout } from "../packages/server/src/realtime/fanout/redis.ts";
import { deleteKeysWithPrefix, uniqueTestPrefix } from "../packages/server/src/realtime/fanout/redis.testing.ts";

/** Figures of {@link measureDeadNodeSweep}. */
export interface DeadNodeSweepResult {
  kills: number;
  heartbeat_interval_ms: number;
  heartbeat_ttl_ms: number;
  /** From SIGKILL to `member_removed` on the watching node. */
  kill_to_member_removed_ms: Percentiles;
  goal_ms: number;
}

const CHANNEL = "presence-bench";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts a dying node in a child process; resolves once its member is announced. */
async function startDyingNode(redisUrl: string, prefix: string, userId: string, announced: Promise<void>) {
  const child = fork(new URL("./presence-dead-node.child.ts", import.meta.url), [redisUrl, prefix, CHANNEL, userId], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`the dying node exited early with ${code}`)));
  });
  await announced;
  return child;
}

/** Kills `kills` nodes one after the other and times their members' removal. */
export async function measureDeadNodeSweep(options: { redisUrl: string; kills: number }): Promise<DeadNodeSweepResult> {
  const prefix = uniqueTestPrefix().replace("parley-test-", "parley-bench-");
  const watcher = new RedisFanout({ url: options.redisUrl, keyPrefix: prefix, logger: pino({ level: "silent" }) });
  const waiting = new Map<string, { event: string; resolve: () => void }>();
  watcher.bind({ delivered: () => undefined, terminateUser: () => undefined });
  watcher.join(CHANNEL, {
    socketId: "1.1",
    write: (frame) => {
      const { event, data } = JSON.parse(frame.toString()) as { event: string; data: string };
      const key = `${event} ${(JSON.parse(data) as { user_id: string }).user_id}`;
      waiting.get(key)?.resolve();
      waiting.delete(key);
      return true;
    },
  });
  const next = (event: string, userId: string) => new Promise<void>((resolve) => waiting.set(`pusher_internal:${event} ${userId}`, { event, resolve }));
  const samples: number[] = [];
  try {
    await watcher.ready();
    for (let i = 0; i < options.kills; i++) {
      const userId = `user-${i}`;
      const child = await startDyingNode(options.redisUrl, prefix, userId, next("member_added", userId));
      // Let its heartbeat thread take over, then kill it at a random point of its beat interval.
      await sleep(REDIS_FANOUT_DEFAULTS.heartbeatTtlMs + Math.random() * REDIS_FANOUT_DEFAULTS.heartbeatIntervalMs);
      const removed = next("member_removed", userId);
      const killedAt = performance.now();
      child.kill("SIGKILL");
      await removed;
      samples.push(performance.now() - killedAt);
    }
  } finally {
    await watcher.close();
    await deleteKeysWithPrefix(options.redisUrl, prefix);
  }
  return {
    kills: options.kills,
    heartbeat_interval_ms: REDIS_FANOUT_DEFAULTS.heartbeatIntervalMs,
    heartbeat_ttl_ms: REDIS_FANOUT_DEFAULTS.heartbeatTtlMs,
    kill_to_member_removed_ms: percentiles(samples),
    goal_ms: 3_000,
  };
}
