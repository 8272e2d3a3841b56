/**
 * Wires Parley together: configuration → database, Redis and the job queue → the HTTP app
 * (app.ts) and the real-time server on one port. The only place that opens connections.
 */
import { createProviders } from "./providers/providers.ts";
import { sharedRateMemory } from "./providers/whatsapp-cloud/shared-send-rates.ts";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Logger } from "pino";
import { buildApp } from "./app.ts";
import type { Config } from "./config.ts";
import { systemClock } from "./domain/clock.ts";
import type { SecretSealer } from "./domain/security.ts";
import { mediaUseCases, type MediaUseCases } from "./domain/media/media.usecases.ts";
import type { HttpApp } from "./http/app.ts";
import type { HealthCheck } from "./http/routes/ops.routes.ts";
import { clientAddress, trustFunction } from "./http/client-address.ts";
import { rateLimitRedis } from "./http/rate-limit-store.ts";
import { diskMediaStorage, memoryMediaStorage } from "./media/media-storage.ts";
import { createLogger } from "./observability/logger.ts";
import { nodeRoles, type NodeRole } from "./node-roles.ts";
import { countingMessages, createMetricsRegistry } from "./observability/metrics.ts";
import { registerNodeMetrics } from "./observability/node-metrics.ts";
import { realtimeBroadcaster } from "./broadcasting/broadcaster.ts";
import { RedisFanout } from "./realtime/fanout/redis.ts";
import { AddressConnectionLimit } from "./realtime/address-limit.ts";
import { RealtimeServer } from "./realtime/server.ts";
import { checkAppsAgainstOwn } from "./realtime/apps/app-config.ts";
import { RealtimeGateway } from "./realtime/apps/gateway.ts";
import { type HostedApps, type HostedAppsOptions, startHostedApps } from "./realtime/apps/hosted-apps.ts";
import { registerPusherWebhookHandler } from "./jobs/pusher-webhooks.ts";
import { startWebhookRetention } from "./jobs/webhook-retention.ts";
import { nodeShutdown } from "./node-shutdown.ts";
import { typingRelay } from "./providers/web-widget/typing-relay.ts";
import { showAgentTyping } from "./domain/conversations/customer-signals.ts";
import { resumeWebhookProcessing } from "./domain/webhooks/webhooks.usecases.ts";
import { resumeRunningCampaigns } from "./domain/campaigns/scheduling.ts";
import { campaignProgressPublisher } from "./broadcasting/campaign-progress.ts";
import { type JobDependencies, registerJobHandlers, runSessionTask, sessionQueueWork } from "./jobs/handlers.ts";
import QRCode from "qrcode";
import { SimulatedWhatsApp } from "./providers/whatsapp-web/simulated/network.ts";
import { whatsappEngineFactories } from "./whatsapp-web/engine-factories.ts";
import { routedSessionControl } from "./whatsapp-web/session-commands.ts";
import { createSessionRuntime, type SessionRuntime } from "./whatsapp-web/session-runtime.ts";
import { startJobQueue, type JobQueue } from "./jobs/pg-boss.ts";
import { wireCampaigns } from "./jobs/campaign-wiring.ts";
import { argon2Passwords } from "./security/passwords.ts";
import { createSecretBox, loadSecretKey } from "./security/secret-box.ts";
import { randomSecretTokens } from "./security/tokens.ts";
import { openDatabase, type DatabaseHandle } from "./store/database.ts";
import { loadRealtimeApp, type RealtimeAppCredentials } from "./store/instance-settings.ts";
import { createStore } from "./store/store.ts";
import { nlpjsIntentEngine } from "./ai/nlpjs-intent-engine.ts";
import { WorkspaceIntentModels } from "./domain/intelligence/intent-classifier.ts";

/** A started Parley. */
export interface RunningParley {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  app: HttpApp;
  realtime: RealtimeServer;
  /** The other Pusher apps this node serves (PARLEY_APPS); undefined when there are none. */
  hostedApps: HostedApps | undefined;
  database: DatabaseHandle;
  realtimeApp: RealtimeAppCredentials;
  /** What this node does (node-roles.ts). */
  roles: readonly NodeRole[];
  /** Attachments (providers and tests store media through it). */
  media: MediaUseCases;
  /** Seals provider secrets at rest with PARLEY_SECRET_KEY (or DATA_DIR/secret.key). */
  secrets: SecretSealer;
  logger: Logger;
  /**
   * Graceful shutdown: health turns 503, new sockets are refused, in-flight requests drain,
   * sockets close with 4200 spread over SHUTDOWN_STAGGER_MS, then the database closes.
   */
  close(): Promise<void>;
  /**
   * Stops this node as a crash would (the process killed): sockets and WhatsApp connections
   * dropped at once, nothing logged out, session leases and jobs left as they are, so the other
   * nodes take them over only once the leases expire. For fault drills and tests.
   */
  kill(): Promise<void>;
  /** The step a started close or kill is on ("sockets", "jobs", "database"...), "done", or undefined before one starts. */
  shutdownStep(): string | undefined;
}

export interface StartOptions {
  logger?: Logger;
  /**
   * What this node does (node-roles.ts); default all three. A node with only some of them
   * shares the work with others through DATABASE_URL and REDIS_URL.
   */
  roles?: readonly NodeRole[];
  /**
   * The simulated WhatsApp the sandbox engine connects to. Default: one of this node's own.
   * Nodes started in one process may share one, so a sandbox session can move between them.
   */
  sandboxNetwork?: SimulatedWhatsApp;
  /** Shorter webhook and subscription-count timings for the hosted apps (tests). */
  hostedAppTimings?: HostedAppsOptions["timings"];
}

/**
 * Starts Parley with the roles of `options.roles` (default all). Throws when the database cannot
 * be opened or migrated, when REDIS_URL is set but Redis is not reachable within 10 s, when the
 * port is taken, or when a node with only some roles has no DATABASE_URL.
 */
export async function startParley(config: Config, options: StartOptions = {}): Promise<RunningParley> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const roles = nodeRoles.filter((role) => (options.roles ?? nodeRoles).includes(role));
  const has = (role: NodeRole) => roles.includes(role);
  // A node with some of the roles works with the nodes that have the others: it must share their
  // PostgreSQL (jobs, sessions' leases), and their Redis for events to reach sockets anywhere.
  if (roles.length < nodeRoles.length) {
    if (config.databaseUrl === undefined)
      throw new Error(`A node with only the ${roles.join(", ")} role needs DATABASE_URL: it works with the nodes that share that database.`);
    if (config.redisUrl === undefined) logger.warn({ roles }, "REDIS_URL is not set: events published on one node reach no socket on another");
  }
  const secretKey = loadSecretKey({ envValue: config.secretKey, dataDir: config.dataDir });
  const secrets = createSecretBox(secretKey);
  if (config.databaseUrl !== undefined && config.secretKey === undefined) {
    logger.warn("PARLEY_SECRET_KEY is not set: this node seals secrets with a key of its own, which other nodes sharing DATABASE_URL cannot open");
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  let jobs: JobQueue;
  try {
    jobs = await startJobQueue(database, { logger: logger.child({ component: "jobs" }) });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  const store = createStore(database.db, { jobs: jobs.schedulerFactory });
  const realtimeApp = await loadRealtimeApp(database.db, config.pusherApp);
  try {
    checkAppsAgainstOwn(config.apps, realtimeApp);
  } catch (error) {
    await jobs.stop({ graceful: false }).catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
  const registry = createMetricsRegistry();
  let shuttingDown = false;

  // Scaled out: broadcasts and presence through Redis. Like the database, an unreachable Redis
  // fails the start rather than letting a node serve a presence list no other node shares.
  const redisFanout =
    config.redisUrl === undefined
      ? undefined
      : new RedisFanout({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger: logger.child({ component: "redis" }) });
  try {
    await redisFanout?.ready();
  } catch (error) {
    await redisFanout?.close();
    await jobs.stop({ graceful: false }).catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }

  // One trust for the HTTP API (app.ts) and the WebSocket upgrades: both see the same client.
  const trustsProxy = trustFunction(config.trustProxy);
  const upgradeAddress = (request: IncomingMessage) => clientAddress(request, trustsProxy);
  const connectionsPerAddress = config.maxConnectionsPerAddress > 0 ? new AddressConnectionLimit(config.maxConnectionsPerAddress) : undefined;
  const realtime = new RealtimeServer({
    app: realtimeApp,
    logger: logger.child({ component: "realtime" }),
    registry,
    ...(redisFanout === undefined ? {} : { fanout: redisFanout }),
    activityTimeoutSeconds: config.activityTimeoutSeconds,
    clientAddress: upgradeAddress,
    ...(connectionsPerAddress === undefined ? {} : { connectionsPerAddress }),
    maxChannelsPerConnection: config.maxChannelsPerConnection,
    onClientEvent: (notice) => void typing.onClientEvent(notice),
  });
  // Only nodes that serve sockets host apps; any node with jobs delivers their webhooks.
  let hostedApps: HostedApps | undefined;
  if (config.apps.length > 0 && has("realtime")) {
    try {
      hostedApps = await startHostedApps({
        apps: config.apps,
        logger,
        registry,
        redis: config.redisUrl === undefined ? undefined : { url: config.redisUrl, keyPrefix: config.redisKeyPrefix },
        enqueueWebhook: (delivery) => store.jobs.schedule("pusher.webhook", delivery),
        activityTimeoutSeconds: config.activityTimeoutSeconds,
        maxChannelsPerConnection: config.maxChannelsPerConnection,
        clientAddress: upgradeAddress,
        ...(connectionsPerAddress === undefined ? {} : { connectionsPerAddress }),
        ...(options.hostedAppTimings === undefined ? {} : { timings: options.hostedAppTimings }),
      });
    } catch (error) {
      await realtime.close({ staggerMs: 0 }).catch(() => {});
      await redisFanout?.close();
      await jobs.stop({ graceful: false }).catch(() => {});
      await database.close().catch(() => {});
      throw error;
    }
  }
  const clock = systemClock;
  // The provider reaches the sessions through the runtime, which needs the broadcaster below.
  let sessions: SessionRuntime | undefined;
  // One count of each Cloud API number's sends for this process's threads (the campaign thread's too).
  const cloudSendRates = sharedRateMemory();
  const providers = createProviders({
    publisher: realtime,
    store,
    cloudSendsPerSecond: config.whatsappCloudSendsPerSecond,
    cloudSendRates,
    whatsappSessions: {
      engineFor: (inboxId) => sessions?.engineFor(inboxId) ?? null,
      send: (inboxId, chat, content, options) => sessions!.send(inboxId, chat, content, options),
      fetchMedia: (inboxId, messageId) => sessions!.fetchMedia(inboxId, messageId),
      // A stale typing state is worth nothing: one waiting per chat, the latest wins on the owner.
      forward: (inboxId, task) =>
        store.jobs.schedule("whatsapp.session", { inboxId, task }, task.kind === "typing" ? { singletonKey: `typing:${task.chat}:${task.isTyping}` } : {}),
    },
  });
  const typing = typingRelay({
    publisher: realtime,
    conversations: store.conversations,
    agentTyping: (input) => showAgentTyping({ store, providers, sealer: secrets }, input),
    logger,
  });
  const events = campaignProgressPublisher(countingMessages(realtimeBroadcaster(realtime, logger, { registry }), registry), store, {
    onError: (error) => logger.warn({ err: error }, "campaign progress could not be read"),
  });
  const mediaStorage = config.dataDir.startsWith("memory://") ? memoryMediaStorage() : diskMediaStorage(join(config.dataDir, "media"));
  const media = mediaUseCases({ store, storage: mediaStorage, tokens: randomSecretTokens });
  const {
    outcomeWrites,
    campaignThread,
    jobDependencies: campaignDependencies,
  } = wireCampaigns({
    config,
    engine: database.engine,
    works: has("worker"),
    jobSchema: jobs.schema,
    secretKey,
    cloudSendRates,
    events,
    logger,
  });
  const jobDependencies: JobDependencies = {
    store,
    events,
    clock,
    providers,
    sealer: secrets,
    mediaStorage,
    saveMedia: (workspaceId, input) => media.save(workspaceId, input),
    runsSession: (inboxId) => sessions?.runsSession(inboxId) ?? false,
    intentEngine: nlpjsIntentEngine,
    intentModels: new WorkspaceIntentModels(store, nlpjsIntentEngine),
    ...campaignDependencies,
  };
  const jobLogger = logger.child({ component: "jobs" });
  if (has("worker")) {
    registerJobHandlers(jobs, jobDependencies, jobLogger, { engine: database.engine });
    registerPusherWebhookHandler(jobs, { app: (appId) => config.apps.find((app) => app.id === appId) }, jobLogger);
  }
  // One simulated WhatsApp per process: the sandbox engine's phones and chats live in memory.
  const sandboxNetwork = options.sandboxNetwork ?? new SimulatedWhatsApp();
  const ownsSandboxNetwork = options.sandboxNetwork === undefined;
  sessions = createSessionRuntime({
    store,
    events,
    clock,
    outcomeWrites,
    sealer: secrets,
    logger: logger.child({ component: "whatsapp-web" }),
    nodeId: config.nodeId,
    // Only workers take sessions; other nodes hand session commands to the owner's queue.
    maxSessions: has("worker") ? config.whatsappMaxSessions : 0,
    leaseTtlMs: config.whatsappLeaseTtlMs,
    engines: whatsappEngineFactories(sandboxNetwork, config.dataDir),
    qrImage: (code) => QRCode.toDataURL(code, { margin: 1, width: 264 }),
    inboxQueues: {
      create: (inboxId) => jobs.createInboxQueue("whatsapp.session", inboxId),
      work: (inboxId) =>
        jobs.workInbox("whatsapp.session", inboxId, (payload) => runSessionTask(jobDependencies, sessions!, jobLogger, payload), sessionQueueWork),
      stop: (inboxId) => jobs.stopInbox("whatsapp.session", inboxId),
    },
  });
  const sessionControl = routedSessionControl(sessions, {
    request: (inboxId, task, timeoutMs) => jobs.request("whatsapp.session", { inboxId, task }, { timeoutMs }),
    delete: (inboxId) => jobs.deleteInboxQueue("whatsapp.session", inboxId),
  });
  const webhookRetention = has("worker")
    ? startWebhookRetention({ repository: store.webhookDeliveries, clock, retentionDays: config.webhookRetentionDays, logger: jobLogger, registry })
    : undefined;
  if (has("worker")) {
    const resumed = await resumeWebhookProcessing(store);
    if (resumed > 0) logger.info({ inboxes: resumed }, "resumed processing of stored webhook deliveries");
    const campaigns = await resumeRunningCampaigns(store);
    if (campaigns > 0) logger.info({ campaigns }, "resumed running campaigns");
  }

  const rateLimitConnection = config.redisUrl === undefined ? undefined : rateLimitRedis(config.redisUrl, logger.child({ component: "rate-limit" }));
  const checks: Record<string, HealthCheck> = { database: () => database.ping() };
  if (redisFanout !== undefined) {
    checks["redis"] = async () => {
      await redisFanout.ping();
      await hostedApps?.ping();
    };
  }
  checks["jobs"] = () => jobs.ping();
  const app = await buildApp({
    databaseConnections: database.pool?.options.max ?? 1,
    logger,
    config,
    rateLimitStore: rateLimitConnection ? { redis: rateLimitConnection, keyPrefix: config.redisKeyPrefix } : undefined,
    store,
    clock,
    tokens: randomSecretTokens,
    passwords: argon2Passwords,
    sealer: secrets,
    providers,
    events,
    mediaStorage,
    realtime,
    realtimeApp,
    ...(hostedApps === undefined ? {} : { hostedRealtime: hostedApps.apps.map((app) => app.server) }),
    visitorTyping: (workspaceId, conversationId, isTyping) => typing.visitorTyping(workspaceId, conversationId, isTyping),
    checks,
    node: () => ({ id: config.nodeId, roles, connections: realtime.connectionCount(), whatsappSessions: sessions?.heldCount() ?? 0 }),
    roles,
    registry,
    isShuttingDown: () => shuttingDown,
    whatsappWeb: { sessions: sessionControl, sandbox: sandboxNetwork },
  });

  registerNodeMetrics(registry, {
    nodeId: config.nodeId,
    roles,
    whatsappSessions: () => sessions?.heldCount() ?? 0,
    jobDepths: () => jobs.depths(),
    webhookDeliveriesWaiting: () => store.webhookDeliveries.countWaiting(),
  });
  if (has("realtime")) {
    if (hostedApps === undefined) realtime.attach(app.server);
    else
      new RealtimeGateway(
        realtime,
        hostedApps.apps.map((hosted) => hosted.server),
      ).attach(app.server);
  }
  try {
    // Every node listens: those without the api role serve their own routes, health and metrics.
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (ownsSandboxNetwork) sandboxNetwork.close();
    await realtime.close({ staggerMs: 0 }).catch(() => {});
    await hostedApps?.close();
    await redisFanout?.close();
    rateLimitConnection?.disconnect();
    await jobs.stop({ graceful: false }).catch(() => {});
    await webhookRetention?.stop();
    await database.close().catch(() => {});
    throw error;
  }
  if (has("worker")) sessions.start();
  logger.info({ nodeId: config.nodeId, roles }, "node started");
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host}:${port}`;

  const shutdown = nodeShutdown({
    logger,
    realtime,
    hostedApps,
    redisFanout,
    app,
    rateLimitConnection,
    sessions,
    closeSandboxNetwork: () => {
      if (ownsSandboxNetwork) sandboxNetwork.close();
    },
    jobs,
    campaignThread,
    webhookRetention,
    database,
    shutdownStaggerMs: config.shutdownStaggerMs,
    markShuttingDown: () => {
      shuttingDown = true;
    },
  });

  const { close, kill, currentStep: shutdownStep } = shutdown;
  return { url, port, app, realtime, hostedApps, database, realtimeApp, roles, media, secrets, logger, close, kill, shutdownStep };
}
