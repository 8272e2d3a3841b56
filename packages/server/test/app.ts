/**
 * Parley's HTTP app for request/response tests, without a port: `buildApp` (src/app.ts) on a
 * fresh in-memory PGlite with the job queue and its handlers running (sends are confirmed by
 * their job, as in production), a real-time server that is not attached to any socket, and
 * in-memory media storage. Requests go through `app.inject()`. Tests that need real sockets,
 * processes, Redis or a browser use test/parley.ts instead.
 */
import { createProviders } from "../src/providers/providers.ts";
import { randomBytes } from "node:crypto";
import type { InjectOptions } from "fastify";
import pino from "pino";
import { afterAll, beforeAll } from "vitest";
import { buildApp } from "../src/app.ts";
import { realtimeBroadcaster } from "../src/broadcasting/broadcaster.ts";
import { campaignProgressPublisher } from "../src/broadcasting/campaign-progress.ts";
import { loadConfig } from "../src/config.ts";
import { systemClock } from "../src/domain/clock.ts";
import { showAgentTyping } from "../src/domain/conversations/customer-signals.ts";
import type { DomainEvent, EventPublisher } from "../src/domain/events.ts";
import { mediaUseCases, type MediaUseCases } from "../src/domain/media/media.usecases.ts";
import type { Store } from "../src/domain/ports.ts";
import type { HttpApp } from "../src/http/app.ts";
import { registerJobHandlers } from "../src/jobs/handlers.ts";
import { startJobQueue } from "../src/jobs/pg-boss.ts";
import { memoryMediaStorage } from "../src/media/media-storage.ts";
import { createMetricsRegistry } from "../src/observability/metrics.ts";
import { typingRelay } from "../src/providers/web-widget/typing-relay.ts";
import { RealtimeServer } from "../src/realtime/server.ts";
import { argon2Passwords } from "../src/security/passwords.ts";
import { createSecretBox } from "../src/security/secret-box.ts";
import { randomSecretTokens } from "../src/security/tokens.ts";
import type { DatabaseHandle } from "../src/store/database.ts";
import { loadRealtimeApp } from "../src/store/instance-settings.ts";
import { createStore } from "../src/store/store.ts";
import { openTestDatabase } from "./databases.ts";
import { ApiClient, type HttpTransport } from "./parley.ts";

/** A built, not listening, Parley app and what tests look at behind it. */
export interface TestApp {
  app: HttpApp;
  /** JSON requests through `app.inject()`. */
  api: ApiClient;
  database: DatabaseHandle;
  store: Store;
  /** Attachments (tests store media through it, as providers do). */
  media: MediaUseCases;
  /** Every domain event published after a commit, oldest first (they are broadcast too). */
  published: DomainEvent[];
  /** Stops the job queue and the app, and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds the app for one test file (beforeAll) and closes it after (afterAll); returns an
 * accessor valid inside tests. `overrides` are environment variables, as for useTestParley
 * (e.g. { BODY_LIMIT_BYTES: "65536" }).
 */
export function useTestApp(overrides: Record<string, string> = {}): () => TestApp {
  let built: TestApp | undefined;
  beforeAll(async () => {
    built = await buildTestApp(overrides);
  });
  afterAll(async () => {
    await built?.close();
  });
  return () => {
    if (!built) throw new Error("The test app is not built yet: use it inside a test");
    return built;
  };
}

/** Builds Parley's app on a fresh in-memory PGlite with environment `overrides`. */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATA_DIR: "memory://",
    LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
    RATE_LIMIT_PER_MINUTE: "100000",
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    ...overrides,
  });
  const logger = pino({ level: config.logLevel });
  const database = await openTestDatabase("pglite");
  const jobs = await startJobQueue(database.handle, { logger });
  const store = createStore(database.handle.db, { jobs: jobs.schedulerFactory });
  const realtimeApp = await loadRealtimeApp(database.handle.db, {});
  const registry = createMetricsRegistry();
  const realtime = new RealtimeServer({ app: realtimeApp, logger, registry });
  const sealer = createSecretBox(randomBytes(32));
  const providers = createProviders({ publisher: realtime, store, cloudSendsPerSecond: config.whatsappCloudSendsPerSecond });
  const typing = typingRelay({
    publisher: realtime,
    conversations: store.conversations,
    agentTyping: (input) => showAgentTyping({ store, providers, sealer }, input),
    logger,
  });
  const published: DomainEvent[] = [];
  const broadcaster = realtimeBroadcaster(realtime, logger);
  const events: EventPublisher = campaignProgressPublisher(
    {
      async publish(domainEvents) {
        published.push(...domainEvents);
        await broadcaster.publish(domainEvents);
      },
    },
    store,
  );
  const mediaStorage = memoryMediaStorage();
  const media = mediaUseCases({ store, storage: mediaStorage, tokens: randomSecretTokens });
  registerJobHandlers(
    jobs,
    {
      store,
      events,
      clock: systemClock,
      providers,
      sealer,
      mediaStorage,
      saveMedia: (workspaceId, input) => media.save(workspaceId, input),
      campaignSettings: config.campaigns,
    },
    logger,
    { engine: database.handle.engine },
  );
  const app = await buildApp({
    logger,
    config,
    store,
    clock: systemClock,
    tokens: randomSecretTokens,
    passwords: argon2Passwords,
    sealer,
    providers,
    events,
    mediaStorage,
    realtime,
    realtimeApp,
    visitorTyping: (workspaceId, conversationId, isTyping) => typing.visitorTyping(workspaceId, conversationId, isTyping),
    databaseConnections: database.handle.engine === "pglite" ? 1 : 20,
    checks: { database: () => database.handle.ping(), jobs: () => jobs.ping() },
    registry,
    isShuttingDown: () => false,
  });
  await app.ready();
  return {
    app,
    api: new ApiClient(injectTransport(app)),
    database: database.handle,
    store,
    media,
    published,
    async close() {
      await app.close();
      await realtime.close({ staggerMs: 0 });
      await jobs.stop({ graceful: true, timeoutMs: 5_000 });
      await database.cleanup();
    },
  };
}

/** Requests through Fastify's `inject()`: no socket, same routing, hooks and serialisation. */
export function injectTransport(app: HttpApp): HttpTransport {
  return async ({ method, path, headers, body }) => {
    const response = await app.inject({ method: method as InjectOptions["method"], url: path, headers, ...(body !== undefined ? { payload: body } : {}) });
    return { status: response.statusCode, headers: headersOf(response.headers), text: response.body };
  };
}

/** inject()'s header record as fetch's Headers, so tests read both the same way. */
export function headersOf(record: Record<string, string | string[] | number | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  return headers;
}
