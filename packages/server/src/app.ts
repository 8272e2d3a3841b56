/**
 * Parley's HTTP application: every route, built from explicit dependencies, not listening.
 * main.ts opens the database, Redis and the job queue, builds these dependencies, attaches the
 * real-time server and listens; tests build the same app on an in-memory database and call it
 * with `app.inject()` (test/app.ts).
 */
import { fileURLToPath } from "node:url";
import { channels } from "@parley/protocol/api";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Config } from "./config.ts";
import type { Clock } from "./domain/clock.ts";
import { contactUseCases } from "./domain/contacts/contacts.usecases.ts";
import { workspaceSettingsUseCases } from "./domain/tenancy/workspace-settings.usecases.ts";
import { conversationUseCases } from "./domain/conversations/conversations.usecases.ts";
import type { EventPublisher } from "./domain/events.ts";
import { startConversationExport } from "./domain/exports/exports.usecases.ts";
import { inboxUseCases } from "./domain/inboxes/inboxes.usecases.ts";
import { contextUseCases } from "./domain/context/context.usecases.ts";
import { offlineEngine } from "./domain/suggestions/offline-engine.ts";
import { aiSettingsUseCases } from "./domain/suggestions/ai-settings.usecases.ts";
import { llmEngine, summariseWithLlm, testLlmConnection } from "./ai/llm-engine.ts";
import { suggestionUseCases } from "./domain/suggestions/suggestions.usecases.ts";
import { knowledgeUseCases } from "./domain/knowledge/knowledge.usecases.ts";
import type { MediaStorage } from "./domain/media/media.ts";
import { mediaUseCases } from "./domain/media/media.usecases.ts";
import type { Store } from "./domain/ports.ts";
import type { ProviderDirectory } from "./domain/providers/provider.ts";
import { channelAccessUseCases } from "./domain/realtime/channel-access.ts";
import type { PasswordHasher, SecretSealer, SecretTokens } from "./domain/security.ts";
import { memberUseCases } from "./domain/tenancy/members.usecases.ts";
import { tenancyUseCases } from "./domain/tenancy/tenancy.usecases.ts";
import { widgetUseCases } from "./domain/widget/widget.usecases.ts";
import { createHttpApp, type HttpApp } from "./http/app.ts";
import { liveWork } from "./live-work.ts";
import { authRoutes } from "./http/routes/auth.routes.ts";
import { broadcastingRoutes } from "./http/routes/broadcasting.routes.ts";
import { mediaRoutes } from "./http/routes/media.routes.ts";
import { opsRoutes, type HealthCheck, type NodeView } from "./http/routes/ops.routes.ts";
import { realtimeInfoRoutes } from "./http/routes/realtime-info.routes.ts";
import { webAppRoutes } from "./http/routes/web-app.routes.ts";
import { whatsappCloudWebhookRoutes } from "./http/routes/whatsapp-cloud-webhooks.routes.ts";
import { acceptWebhookDeliveries, type AcceptedDelivery } from "./domain/webhooks/webhooks.usecases.ts";
import { groupCommit } from "./store/group-commit.ts";
import { inboxSessionUseCases, type InboxSessionControl } from "./domain/whatsapp-web/inbox-sessions.usecases.ts";
import { sandboxRoutes } from "./http/routes/sandbox.routes.ts";
import type { SimulatedWhatsApp } from "./providers/whatsapp-web/simulated/network.ts";
import { widgetAssetRoutes } from "./http/routes/widget-assets.routes.ts";
import { widgetRoutes } from "./http/routes/widget.routes.ts";
import { workspaceRoutes } from "./http/routes/workspace.routes.ts";
import { verifyWebhookSignature } from "./providers/whatsapp-cloud/webhook-signature.ts";
import { pusherHttpApi } from "./realtime/http-api.ts";
import type { RealtimeServer } from "./realtime/server.ts";
import type { RealtimeAppCredentials } from "./store/instance-settings.ts";
import { nodeRoles, type NodeRole } from "./node-roles.ts";

/** The built widget bundle and web app, served when present (`npm run build`). */
const defaultAssets = {
  widgetBundlePath: fileURLToPath(new URL("../../widget/dist/widget.js", import.meta.url)),
  webAppDistPath: fileURLToPath(new URL("../../web/dist", import.meta.url)),
};

/** How long the widget waits for the agents' presence before showing them offline, in ms. */
const presenceAnswerMs = 500;

/**
 * `work`'s value, or `fallback` when it fails or takes longer than `ms` (`onFallback` gets the
 * error, or undefined on a timeout).
 */
async function answerWithin<T>(work: Promise<T>, ms: number, fallback: T, onFallback: (error: unknown) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ late: true }>((resolve) => {
    timer = setTimeout(() => resolve({ late: true }), ms);
  });
  try {
    const answer = await Promise.race([work.then((value) => ({ value })), late]);
    if ("value" in answer) return answer.value;
    onFallback(undefined);
    return fallback;
  } catch (error) {
    onFallback(error);
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

/** Everything the HTTP application needs from the world. */
export interface AppDependencies {
  logger: Logger;
  /** The HTTP limits and URLs of the configuration (sizes in bytes, limits per minute per IP). */
  config: Pick<
    Config,
    "bodyLimitBytes" | "rateLimitPerMinute" | "authRateLimitPerMinute" | "activityTimeoutSeconds" | "aiTimeoutMs" | "publicUrl" | "trustProxy"
  >;
  /** Rate-limit counters shared by several nodes (rate-limit-store.ts); per node without it. */
  rateLimitStore?: { redis: Redis; keyPrefix: string } | undefined;
  store: Store;
  clock: Clock;
  tokens: SecretTokens;
  passwords: PasswordHasher;
  /** Seals provider secrets at rest (security/secret-box.ts). */
  sealer: SecretSealer;
  providers: ProviderDirectory;
  /** Where committed domain events go (broadcasting/broadcaster.ts in production). */
  events: EventPublisher;
  /** Where attachments' bytes live. */
  mediaStorage: MediaStorage;
  /**
   * The Pusher server: the Pusher HTTP API publishes through it and the widget asks it whether
   * agents are online. It need not be attached to a socket for the app to work.
   */
  realtime: RealtimeServer;
  realtimeApp: RealtimeAppCredentials;
  /** The servers of the other Pusher apps Parley hosts (PARLEY_APPS), served by the Pusher HTTP API beside `realtime`. */
  hostedRealtime?: readonly RealtimeServer[];
  /** Relays a website visitor's typing to the agents (the HTTP fallback of the client event). */
  visitorTyping(workspaceId: string, conversationId: string, isTyping: boolean): Promise<void>;
  /** Connections the database serves at once (1 for PGlite): how many group commits may overlap. */
  databaseConnections: number;
  /** The health checks of `GET /api/v1/health`, by name. */
  checks: Record<string, HealthCheck>;
  /** This node as `GET /api/v1/health` reports it (id, roles, sockets, sessions); omitted without it. */
  node?: () => NodeView;
  /** Served at `GET /metrics`. */
  registry: Registry;
  /** True once shutdown began: health answers 503 so load balancers stop sending. */
  isShuttingDown(): boolean;
  /** This node's WhatsApp Web sessions and the sandbox's simulated WhatsApp; without them, session calls answer 409 and the sandbox 404. */
  whatsappWeb?: { sessions: InboxSessionControl; sandbox: SimulatedWhatsApp };
  /** Where the widget bundle and the web app's build are; default the packages' dist folders. */
  assets?: { widgetBundlePath: string; webAppDistPath: string };
  /** The roles whose routes this node serves (node-roles.ts); default all. Health and metrics are always served. */
  roles?: readonly NodeRole[];
}

/**
 * Builds Parley's Fastify app with the routes of the node's roles (ops always; the api role's
 * API, widget, webhooks and assets; the realtime role's Pusher HTTP API) and the use cases
 * behind them. Does not listen and does not attach the WebSocket server: the caller does both
 * (main.ts), or calls `app.inject()` (tests).
 */
export async function buildApp(deps: AppDependencies): Promise<HttpApp> {
  const { config, realtime } = deps;
  const roles = deps.roles ?? nodeRoles;
  const app = await createHttpApp({
    logger: deps.logger,
    trustProxy: config.trustProxy,
    bodyLimitBytes: config.bodyLimitBytes,
    liveWork,
    rateLimitPerMinute: config.rateLimitPerMinute,
    // The Pusher HTTP API is signed by backends that publish in bulk; a per-IP limit would throttle them.
    rateLimitExemptPrefixes: ["/apps/", "/webhooks/"],
    ...(deps.rateLimitStore ? { rateLimitStore: deps.rateLimitStore } : {}),
  });
  await app.register(opsRoutes, { checks: deps.checks, registry: deps.registry, isShuttingDown: deps.isShuttingDown, node: deps.node });
  if (roles.includes("api")) await registerApiRoutes(app, deps);
  if (roles.includes("realtime")) {
    const realtimeServers = new Map([realtime, ...(deps.hostedRealtime ?? [])].map((server) => [server.app.id, server]));
    await app.register(pusherHttpApi, { servers: (appId) => realtimeServers.get(appId) });
  }
  return app;
}

/** The api role's routes: Parley's API, the widget, channel authorisation, webhooks, the web app. */
async function registerApiRoutes(app: HttpApp, deps: AppDependencies): Promise<void> {
  const { logger, config, store, clock, tokens, passwords, sealer, providers, events, realtime, realtimeApp } = deps;
  const assets = deps.assets ?? defaultAssets;
  const tenancy = tenancyUseCases({ store, passwords, tokens, clock });
  const widget = widgetUseCases({ store, events, clock, tokens });
  const media = mediaUseCases({ store, storage: deps.mediaStorage, tokens });
  const offline = offlineEngine(store.suggestionRetrieval);
  const timeoutMs = config.aiTimeoutMs;
  const ai = aiSettingsUseCases({
    store,
    sealer,
    offline,
    timeoutMs,
    llm: {
      engine: (settings, context) => llmEngine({ ...settings, timeoutMs }, context),
      test: (settings) => testLlmConnection({ ...settings, timeoutMs }),
      summarise: (settings, transcript) => summariseWithLlm({ ...settings, timeoutMs }, transcript),
    },
    warn: (error, context) => logger.warn({ err: error }, context),
  });
  await app.register(realtimeInfoRoutes, { appKey: realtimeApp.key, activityTimeoutSeconds: config.activityTimeoutSeconds });
  await app.register(authRoutes, { prefix: "/api/v1/auth", tenancy, rateLimitPerMinute: config.authRateLimitPerMinute });
  await app.register(workspaceRoutes, {
    prefix: "/api/v1/workspaces/:workspace_id",
    tenancy,
    inboxes: inboxUseCases({
      store,
      tokens,
      sealer,
      providers,
      ...(deps.whatsappWeb
        ? {
            startSessions: () =>
              void deps.whatsappWeb?.sessions.round().catch((error: unknown) => logger.error({ err: error }, "starting WhatsApp sessions failed")),
          }
        : {}),
    }),
    inboxSessions: inboxSessionUseCases({ store, sessions: deps.whatsappWeb?.sessions }),
    conversations: conversationUseCases({ store, events, clock, providers, sealer, warn: (error, context) => logger.warn({ err: error }, context) }),
    contacts: contactUseCases({ store, events, clock }),
    workspaceSettings: workspaceSettingsUseCases({ store }),
    knowledge: knowledgeUseCases({ store, events }),
    context: contextUseCases({ store }),
    suggestions: suggestionUseCases({ store, engineFor: ai.engineFor, now: () => clock.now() }),
    ai,
    members: memberUseCases({ store, passwords }),
    campaigns: { store, events, clock, providers, sealer },
    media,
    startExport: (actor, request) => startConversationExport({ store }, actor, request),
    publicUrl: config.publicUrl,
  });
  // Concurrent deliveries share a commit: one transaction per burst instead of one per POST.
  const acceptDelivery = groupCommit((deliveries: AcceptedDelivery[]) => acceptWebhookDeliveries({ store, clock }, deliveries), {
    maxBatch: 200,
    maxConcurrent: deps.databaseConnections === 1 ? 1 : 4,
  });
  await app.register(whatsappCloudWebhookRoutes, { store, clock, sealer, tokens, verifySignature: verifyWebhookSignature, accept: acceptDelivery });
  await app.register(widgetRoutes, {
    prefix: "/api/v1/widget/:widget_key",
    widget,
    media,
    appKey: realtimeApp.key,
    // Presence lives in Redis when scaled out: a stalled or lost Redis answers "not online"
    // after a moment rather than holding (or failing) the widget's request.
    agentsOnline: (workspaceId) =>
      answerWithin(
        realtime.presenceMembers(channels.presence(workspaceId)).then((members) => members.length > 0),
        presenceAnswerMs,
        false,
        (error) => logger.warn({ err: error }, "agents' presence unknown; the widget shows them offline"),
      ),
    relayVisitorTyping: (visitor, isTyping) => deps.visitorTyping(visitor.session.workspaceId, visitor.session.conversationId, isTyping),
  });
  await app.register(sandboxRoutes, { prefix: "/api/v1/sandbox", store, tenancy, network: deps.whatsappWeb?.sandbox });
  await app.register(broadcastingRoutes, { prefix: "/broadcasting", tenancy, widget, channelAccess: channelAccessUseCases({ store }), app: realtimeApp });
  await app.register(widgetAssetRoutes, {
    bundlePath: assets.widgetBundlePath,
    defaultWidgetKey: async () => (await store.inboxes.findFirstWidget())?.widgetKey ?? null,
  });
  await app.register(mediaRoutes, { media });
  await app.register(webAppRoutes, { distPath: assets.webAppDistPath });
}
