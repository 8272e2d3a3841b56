/**
 * Nodes for the RedisFanout suites (redis.test.ts, redis.failures.test.ts): fan-outs on a real
 * Redis under a key prefix per cluster, real-time servers on them, and clients, all stopped after
 * each test; the run's keys are deleted after the file.
 */
import { pino } from "pino";
import type { Logger } from "pino";
import { afterAll, afterEach } from "vitest";
import { pusherClient, RawClient, startHarness, until } from "../testing/harness.ts";
import type { Harness, PusherClient } from "../testing/harness.ts";
import type { FanoutMessage, FanoutSubscriber } from "./message.ts";
import { RedisFanout } from "./redis.ts";
import type { RedisFanoutOptions } from "./redis.ts";
import { deleteKeysWithPrefix, type TcpProxy, testRedisUrl, uniqueTestPrefix } from "./redis.testing.ts";

/** REDIS_URL, or undefined: the suites skip. */
export const redisUrl = testRedisUrl();
export const silent = pino({ level: "silent" });
/** Fast heartbeats so sweeps happen within a test. */
export const FAST = { heartbeatIntervalMs: 100, heartbeatTtlMs: 400 };

/** Registers the clean-up hooks of the calling test file and returns its node factories. */
export function useRedisNodes() {
  const runPrefix = uniqueTestPrefix();
  let clusters = 0;
  /** A fresh prefix for one cluster, under this run's prefix. */
  const clusterPrefix = () => `${runPrefix}${++clusters}:`;

  const fanouts: RedisFanout[] = [];
  const harnesses: Harness[] = [];
  const clients: PusherClient[] = [];
  const rawClients: RawClient[] = [];
  const proxies: TcpProxy[] = [];

  /** Disconnects every client and stops every node and proxy made so far (after each test, or mid-test). */
  async function stopAll(): Promise<void> {
    for (const c of clients.splice(0)) c.disconnect();
    for (const c of rawClients.splice(0)) c.close();
    for (const h of harnesses.splice(0)) await h.stop();
    await Promise.all(fanouts.splice(0).map((f) => f.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  }

  afterEach(stopAll);
  afterAll(async () => {
    if (redisUrl !== undefined) await deleteKeysWithPrefix(redisUrl, runPrefix);
  });

  function redisNode(prefix: string, options: Partial<RedisFanoutOptions> = {}): RedisFanout {
    const fanout = new RedisFanout({ url: redisUrl!, keyPrefix: prefix, logger: silent, ...options });
    fanouts.push(fanout);
    return fanout;
  }

  async function realtimeNode(fanout: RedisFanout): Promise<Harness> {
    const harness = await startHarness({ fanout });
    harnesses.push(harness);
    await fanout.ready();
    return harness;
  }

  function client(h: Harness, userId: string): PusherClient {
    const c = pusherClient(h, { user_id: userId, user_info: { name: userId } });
    clients.push(c);
    return c;
  }

  async function rawSubscriber(h: Harness, channel: string): Promise<{ client: RawClient; socketId: string }> {
    const opened = await RawClient.connect(h.wsUrl());
    rawClients.push(opened.client);
    opened.client.subscribe(channel);
    await opened.client.nextEvent("pusher_internal:subscription_succeeded");
    return opened;
  }

  /** A logger whose records are kept as parsed JSON. */
  function recordingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
    const records: Array<Record<string, unknown>> = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, records };
  }

  const noopSubscriber = (socketId: string): FanoutSubscriber => ({ socketId, write: () => true });

  /** The pair the contract set up last, for {@link settleContractPair}. */
  let contractPair: { a: RedisFanout; b: RedisFanout } | undefined;
  let settles = 0;

  /**
   * The contract's settle hook. Redis hands a channel's messages to each subscriber in the order
   * the PUBLISHes ran, so once each node has received a marker the other published after every
   * awaited publish, it has received those too. Markers go to cache channels no test uses: each
   * node keeps their frame (cachedFrame) and no subscriber sees them.
   */
  async function settleContractPair(): Promise<void> {
    const { a, b } = contractPair!;
    // Subscribed before anything is published: pub/sub keeps nothing for late subscribers.
    await Promise.all([a.ready(), b.ready()]);
    const n = ++settles;
    const [fromA, fromB] = [`cache-settle-${n}-a`, `cache-settle-${n}-b`];
    const marker = (channel: string): FanoutMessage => ({ type: "event", channels: [channel], event: "settled", data: "{}", publishedAt: Date.now() });
    await Promise.all([a.publish(marker(fromA)), b.publish(marker(fromB))]);
    await until(() => b.cachedFrame(fromA) !== undefined && a.cachedFrame(fromB) !== undefined);
  }

  return {
    clusterPrefix,
    redisNode,
    realtimeNode,
    client,
    rawSubscriber,
    recordingLogger,
    noopSubscriber,
    settleContractPair,
    setContractPair: (pair: { a: RedisFanout; b: RedisFanout }) => {
      contractPair = pair;
      return pair;
    },
    proxies,
    stopAll,
  };
}
