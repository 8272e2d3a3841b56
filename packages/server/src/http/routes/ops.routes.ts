import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import { z } from "zod";

/** One dependency's health check: resolves when healthy, throws (with a reason) when not. */
export type HealthCheck = () => Promise<void>;

/** The answering node as health reports it. */
export interface NodeView {
  /** PARLEY_NODE_ID, or the generated id. */
  id: string;
  /** Its roles (node-roles.ts). */
  roles: readonly string[];
  /** WebSocket connections open on it. */
  connections: number;
  /** WhatsApp Web sessions it holds. */
  whatsappSessions: number;
}

const checkSchema = z.object({ status: z.enum(["ok", "down"]), latency_ms: z.number(), error: z.string().optional() });
const nodeSchema = z.object({ id: z.string(), roles: z.array(z.string()), connections: z.number().int(), whatsapp_sessions: z.number().int() });
const healthSchema = z.object({ checks: z.record(z.string(), checkSchema), node: nodeSchema.optional() });

/** Timeout of one health check, in ms: a hung dependency is a down dependency. */
const checkTimeoutMs = 2000;

/**
 * `GET /api/v1/health` (200, or 503 when any check fails: each dependency with its latency, and
 * this node's view) and `GET /metrics` (Prometheus text, this node's registry).
 */
export const opsRoutes: FastifyPluginAsyncZod<{
  checks: Record<string, HealthCheck>;
  registry: Registry;
  isShuttingDown: () => boolean;
  node?: (() => NodeView) | undefined;
}> = async (app, { checks, registry, isShuttingDown, node }) => {
  app.get(
    "/api/v1/health",
    {
      config: { rateLimit: false },
      schema: {
        tags: ["ops"],
        summary: "Health of Parley and each dependency",
        response: {
          200: healthSchema.extend({ status: z.literal("ok") }),
          503: healthSchema.extend({ status: z.literal("down") }),
        },
      },
    },
    async (_request, reply) => {
      const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await timed(check)] as const));
      if (isShuttingDown()) entries.push(["server", { status: "down", latency_ms: 0, error: "shutting down" }]);
      const results = Object.fromEntries(entries);
      const healthy = entries.every(([, result]) => result.status === "ok");
      const view = node?.();
      const body = {
        checks: results,
        ...(view ? { node: { id: view.id, roles: [...view.roles], connections: view.connections, whatsapp_sessions: view.whatsappSessions } } : {}),
      };
      return healthy ? reply.status(200).send({ status: "ok", ...body }) : reply.status(503).send({ status: "down", ...body });
    },
  );

  app.get("/metrics", { config: { rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    return reply.header("content-type", registry.contentType).send(await registry.metrics());
  });
};

async function timed(check: HealthCheck): Promise<z.infer<typeof checkSchema>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return { status: "ok", latency_ms: round(performance.now() - started) };
  } catch (error) {
    return { status: "down", latency_ms: round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
