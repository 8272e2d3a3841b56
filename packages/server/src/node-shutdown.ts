/**
 * How a started node stops (main.ts wires it): gracefully, handing work over, or as a crash
 * would. Each runs once; a second call (of either) returns the first one's promise.
 */
import type { Logger } from "pino";
import type { HttpApp } from "./http/app.ts";
import type { JobQueue } from "./jobs/pg-boss.ts";
import type { HostedApps } from "./realtime/apps/hosted-apps.ts";
import type { RedisFanout } from "./realtime/fanout/redis.ts";
import type { RealtimeServer } from "./realtime/server.ts";
import type { DatabaseHandle } from "./store/database.ts";
import type { SessionRuntime } from "./whatsapp-web/session-runtime.ts";

/** What a node holds open, and what its shutdown needs to know. */
export interface NodeParts {
  logger: Logger;
  realtime: RealtimeServer;
  hostedApps: HostedApps | undefined;
  redisFanout: RedisFanout | undefined;
  app: HttpApp;
  rateLimitConnection: { disconnect(): void } | undefined;
  sessions: SessionRuntime | undefined;
  /** Closes the sandbox's simulated WhatsApp when this node owns it (a no-op otherwise). */
  closeSandboxNetwork(): void;
  jobs: JobQueue;
  /** The campaign thread (PostgreSQL; jobs/campaign-thread.ts): stopped after the jobs, killed first on a kill. */
  campaignThread: { stop(): Promise<void>; kill(): Promise<void> } | undefined;
  webhookRetention: { stop(): Promise<void> } | undefined;
  database: DatabaseHandle;
  /** ms over which sockets are closed with 4200 (SHUTDOWN_STAGGER_MS). */
  shutdownStaggerMs: number;
  /** Called first: health answers 503 from then on. */
  markShuttingDown(): void;
}

/** A node's two ways to stop, and what a stop is doing (for a deadline's log line). */
export interface NodeShutdown {
  close(): Promise<void>;
  kill(): Promise<void>;
  /** The step a started stop is on ("sockets", "jobs", "database"...), "done", or undefined before one starts. */
  currentStep(): string | undefined;
}

/**
 * `close`: graceful, as RunningParley.close documents (sockets staggered, sessions' leases handed
 * back, running jobs given 5 s). `kill`: as a crash, leaving leases and jobs to the other nodes.
 * Both reject with the first error of a step that fails.
 */
export function nodeShutdown(parts: NodeParts): NodeShutdown {
  const { logger, realtime, hostedApps, redisFanout, app, rateLimitConnection, sessions, jobs, webhookRetention, database } = parts;
  let closing: Promise<void> | undefined;
  let step: string | undefined;
  // Named, so a stop that overruns its deadline can say which dependency held it.
  const run = async (name: string, work: () => unknown) => {
    step = name;
    logger.debug({ step: name }, "shutdown step");
    await work();
  };
  const close = () =>
    (closing ??= (async () => {
      parts.markShuttingDown();
      logger.info("shutting down");
      // Sockets first: Fastify does not track upgraded connections, and closing the HTTP server
      // first would cut them off without the staggered 4200 that spreads reconnects out.
      await run("sockets", () =>
        Promise.all([realtime.close({ staggerMs: parts.shutdownStaggerMs }), hostedApps?.close({ staggerMs: parts.shutdownStaggerMs })]),
      );
      // After the sockets: their presence departures are published through Redis.
      await run("redis", () => redisFanout?.close());
      await run("http", () => app.close());
      rateLimitConnection?.disconnect();
      // Sessions hand their leases back so other nodes take them over at once.
      await run("whatsapp sessions", () => sessions?.stop());
      parts.closeSandboxNetwork();
      // Running jobs finish (a send in flight is recorded) before the database goes away; 5 s
      // keeps the whole shutdown inside the CLI's 10 s deadline (a job still running then is
      // handed back and may run again elsewhere).
      await run("jobs", () => jobs.stop({ graceful: true, timeoutMs: 5_000 }));
      // A dispatch still running after the jobs' 5 s is cut off like a crash's (its job was handed back).
      await run("campaign thread", () => parts.campaignThread?.stop());
      await run("webhook retention", () => webhookRetention?.stop());
      await run("database", () => database.close());
      step = "done";
      logger.info("stopped");
    })());

  const kill = () =>
    (closing ??= (async () => {
      parts.markShuttingDown();
      logger.warn("killed: leaving sessions and jobs to the other nodes");
      // First, as a crash stops every thread at once: no campaign send starts after the kill.
      await run("campaign thread", () => parts.campaignThread?.kill());
      await run("whatsapp sessions", () => sessions?.abandon());
      await run("sockets", async () => {
        await realtime.close({ staggerMs: 0 });
        await hostedApps?.close();
      });
      await run("redis", () => redisFanout?.close());
      await run("http", () => app.close());
      rateLimitConnection?.disconnect();
      parts.closeSandboxNetwork();
      await run("jobs", () => jobs.stop({ graceful: false, timeoutMs: 0 }));
      await run("webhook retention", () => webhookRetention?.stop());
      await run("database", () => database.close());
      step = "done";
    })());

  return { close, kill, currentStep: () => step };
}
