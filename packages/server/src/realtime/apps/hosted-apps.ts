import type { IncomingMessage } from "node:http";
import type { AddressConnectionLimit } from "../address-limit.ts";
/**
 * Starts the real-time side of every app in PARLEY_APPS: one RealtimeServer per app, each with a
 * fan-out of its own, so apps share the port and the process but no channel, presence list,
 * count or cache. Scaled out, each app's fan-out keeps its Redis state under
 * `{REDIS_KEY_PREFIX}apps:{id}:` and its broadcasts on `{…}bus` there; an app costs two Redis
 * connections per node (its bus subscription and its commands), plus one connection per node
 * shared by every app's webhook and connection-quota bookkeeping. An app's `max_connections` then
 * holds cluster-wide (cluster-connections.ts).
 *
 * Apps with webhooks get a {@link ChannelWebhooks} observer on their server, whose batches go to
 * `enqueueWebhook` (the durable `pusher.webhook` job queue in production).
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { redisKeys } from "../fanout/redis-keys.ts";
import { RedisFanout } from "../fanout/redis.ts";
import { RealtimeServer } from "../server.ts";
import { WebhookBatcher, type WebhookDelivery } from "../webhooks/batcher.ts";
import { ChannelWebhooks } from "../webhooks/channel-webhooks.ts";
import { LocalLedger, type OccupancyLedger } from "../webhooks/ledger.ts";
import { RedisLedger } from "../webhooks/redis-ledger.ts";
import type { AppDefinition } from "./app-config.ts";
import { ClusterConnections } from "./cluster-connections.ts";

/** Options of {@link startHostedApps}. */
export interface HostedAppsOptions {
  apps: readonly AppDefinition[];
  logger: Logger;
  registry: Registry;
  /** Scaled out: the Redis every node shares, and Parley's key prefix. */
  redis?: { url: string; keyPrefix: string } | undefined;
  /** Stores one webhook delivery durably. */
  enqueueWebhook: (delivery: WebhookDelivery) => Promise<void>;
  activityTimeoutSeconds?: number;
  maxChannelsPerConnection?: number;
  /** The client's address of an upgrade (TRUST_PROXY), as for Parley's own app. */
  clientAddress?: (request: IncomingMessage) => string;
  /** The node-wide per-address connection cap, shared with Parley's own app. */
  connectionsPerAddress?: AddressConnectionLimit;
  /**
   * Timings tests shorten (ms): the webhook batch window, the delay before vacated/removed, the
   * subscription count interval, the dead-node sweep interval, the connection count exchange.
   */
  timings?: {
    webhookBatchMs?: number;
    webhookLeaveDelayMs?: number;
    subscriptionCountIntervalMs?: number;
    sweepIntervalMs?: number;
    connectionCountIntervalMs?: number;
  };
}

/** One hosted app, running. */
export interface HostedApp {
  definition: AppDefinition;
  server: RealtimeServer;
}

/** The hosted apps of this node. */
export interface HostedApps {
  apps: readonly HostedApp[];
  /** Health: resolves when every app's Redis fan-out answers. @throws {Error} naming the app. */
  ping(): Promise<void>;
  /**
   * Closes every app's sockets (spread over `staggerMs`), then queues their last webhooks and
   * leaves Redis. Never throws.
   */
  close(options?: { staggerMs?: number }): Promise<void>;
}

/** The Redis key prefix of a hosted app, under Parley's own. */
export function hostedAppKeyPrefix(keyPrefix: string, appId: string): string {
  return `${keyPrefix}apps:${appId}:`;
}

interface Running extends HostedApp {
  fanout: RedisFanout | undefined;
  connections: ClusterConnections | undefined;
  webhooks: ChannelWebhooks | undefined;
  batcher: WebhookBatcher | undefined;
}

async function startApp(definition: AppDefinition, options: HostedAppsOptions, sharedRedis: Redis | undefined): Promise<Running> {
  const { redis, timings = {} } = options;
  const logger = options.logger.child({ app: definition.id });
  const keyPrefix = redis === undefined ? undefined : hostedAppKeyPrefix(redis.keyPrefix, definition.id);
  const fanout = redis === undefined || keyPrefix === undefined ? undefined : new RedisFanout({ url: redis.url, keyPrefix, logger });
  try {
    await fanout?.ready();
  } catch (error) {
    await fanout?.close();
    throw error;
  }
  const cluster =
    fanout === undefined || keyPrefix === undefined || sharedRedis === undefined ? undefined : { redis: sharedRedis, keyPrefix, nodeId: fanout.nodeId };
  const { webhooks, batcher } =
    definition.webhooks.length > 0 ? appWebhooks(definition, options, cluster, logger) : { webhooks: undefined, batcher: undefined };
  let server: RealtimeServer | undefined;
  const connections =
    cluster !== undefined && definition.maxConnections !== null
      ? new ClusterConnections({
          ...cluster,
          local: () => server?.connectionCount() ?? 0,
          logger,
          ...(timings.connectionCountIntervalMs === undefined ? {} : { intervalMs: timings.connectionCountIntervalMs }),
        })
      : undefined;
  server = new RealtimeServer({
    app: { id: definition.id, key: definition.key, secret: definition.secret },
    logger: logger.child({ component: "realtime" }),
    registry: options.registry,
    ...(fanout === undefined ? {} : { fanout }),
    ...(options.activityTimeoutSeconds === undefined ? {} : { activityTimeoutSeconds: options.activityTimeoutSeconds }),
    ...(options.maxChannelsPerConnection === undefined ? {} : { maxChannelsPerConnection: options.maxChannelsPerConnection }),
    ...(options.clientAddress === undefined ? {} : { clientAddress: options.clientAddress }),
    ...(options.connectionsPerAddress === undefined ? {} : { connectionsPerAddress: options.connectionsPerAddress }),
    enabled: definition.enabled,
    ...(definition.maxConnections === null ? {} : { connectionQuota: definition.maxConnections }),
    ...(connections === undefined ? {} : { connectionsElsewhere: () => connections.elsewhere() }),
    enableClientEvents: definition.clientEvents,
    userAuthentication: definition.userAuthentication,
    subscriptionCount: definition.subscriptionCount,
    ...(timings.subscriptionCountIntervalMs === undefined ? {} : { subscriptionCountIntervalMs: timings.subscriptionCountIntervalMs }),
    ...(webhooks === undefined ? {} : { subscriptions: webhooks, onClientEvent: (notice) => webhooks.clientEvent(notice) }),
  });
  await connections?.start();
  logger.info({ name: definition.name, enabled: definition.enabled, webhooks: definition.webhooks.length }, "hosted pusher app started");
  return { definition, server, fanout, connections, webhooks, batcher };
}

/** Where a node keeps an app's shared bookkeeping in Redis. */
interface ClusterBookkeeping {
  redis: Redis;
  /** The app's fan-out key prefix. */
  keyPrefix: string;
  /** The app's fan-out node id on this node. */
  nodeId: string;
}

/** An app's webhook batcher and the observer that feeds it, deciding transitions in Redis when scaled out. */
function appWebhooks(
  definition: AppDefinition,
  options: HostedAppsOptions,
  cluster: ClusterBookkeeping | undefined,
  logger: Logger,
): { webhooks: ChannelWebhooks; batcher: WebhookBatcher } {
  const { timings = {} } = options;
  const batcher = new WebhookBatcher({
    appId: definition.id,
    targets: definition.webhooks,
    enqueue: options.enqueueWebhook,
    logger,
    ...(timings.webhookBatchMs === undefined ? {} : { windowMs: timings.webhookBatchMs }),
  });
  let webhooks: ChannelWebhooks | undefined;
  const ledger: OccupancyLedger =
    cluster === undefined
      ? new LocalLedger()
      : new RedisLedger({
          ...cluster,
          heartbeatKey: redisKeys(cluster.keyPrefix).heartbeat,
          events: { onSwept: (units) => webhooks?.swept(units), onRestored: (units) => webhooks?.restored(units) },
          logger,
          ...(timings.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: timings.sweepIntervalMs }),
        });
  webhooks = new ChannelWebhooks({
    ledger,
    batcher,
    logger,
    ...(timings.webhookLeaveDelayMs === undefined ? {} : { leaveDelayMs: timings.webhookLeaveDelayMs }),
  });
  return { webhooks, batcher };
}

/**
 * Starts every app's server (not attached: route upgrades with a RealtimeGateway).
 * @throws {Error} when Redis is set but an app's fan-out is not ready within 10 s (what was
 *   started is closed first).
 */
export async function startHostedApps(options: HostedAppsOptions): Promise<HostedApps> {
  const { logger, redis } = options;
  const needsShared = redis !== undefined && options.apps.some((app) => app.webhooks.length > 0 || app.maxConnections !== null);
  const sharedRedis = needsShared
    ? new Redis(redis.url, { maxRetriesPerRequest: 1, commandTimeout: 5_000, connectionName: `${redis.keyPrefix}hosted-apps`.replace(/[^\x21-\x7e]/g, "_") })
    : undefined;
  sharedRedis?.on("error", (error) => logger.warn({ err: error }, "hosted apps' redis connection error"));
  const running: Running[] = [];
  const closeAll = async (staggerMs: number) => {
    await Promise.all(running.map((app) => app.server.close({ staggerMs })));
    await Promise.all(running.map((app) => app.connections?.close()));
    await Promise.all(running.map((app) => app.webhooks?.close()));
    await Promise.all(running.map((app) => app.batcher?.close()));
    await Promise.all(running.map((app) => app.fanout?.close()));
    if (sharedRedis !== undefined) await sharedRedis.quit().catch(() => sharedRedis.disconnect());
  };
  try {
    for (const definition of options.apps) running.push(await startApp(definition, options, sharedRedis));
  } catch (error) {
    await closeAll(0);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    apps: running,
    async ping() {
      for (const app of running) {
        try {
          await app.fanout?.ping();
        } catch (error) {
          throw new Error(`app ${app.definition.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
    close({ staggerMs = 0 } = {}) {
      closing ??= closeAll(staggerMs);
      return closing;
    },
  };
}
