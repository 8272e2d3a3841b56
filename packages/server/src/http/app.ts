import formBody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { registerWidgetCors } from "./cors.ts";
import { type TrustProxy, trustFunction } from "./client-address.ts";
import { installErrorHandling } from "./errors.ts";
import { installLingeringClose, type LingeringCloseLimits } from "./lingering-close.ts";
import type { LiveWork } from "../live-work.ts";

/** Parley's Fastify instance type, with zod schemas as its type provider. */
export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface HttpAppOptions {
  logger: Logger;
  /** Proxies whose X-Forwarded-For gives `request.ip` (rate limits, logs); none when undefined. */
  trustProxy?: TrustProxy | undefined;
  /** Largest accepted request body, in bytes (413 beyond). */
  bodyLimitBytes: number;
  /** Requests per minute per client IP (429 with Retry-After beyond). */
  rateLimitPerMinute: number;
  /** Path prefixes the per-IP limit does not apply to (signed server-to-server APIs). */
  rateLimitExemptPrefixes?: string[];
  /** Shared counters for several nodes (rate-limit-store.ts); in-memory per node without it. */
  rateLimitStore?: { redis: Redis; keyPrefix: string };
  /** How long and how much of a body is drained after an early error reply; default LINGERING_CLOSE_DEFAULTS. */
  lingeringClose?: LingeringCloseLimits;
  /** Where requests count as live work while they are answered, so campaigns give way to them (live-work.ts). */
  liveWork?: LiveWork;
}

/** Requests that are not someone waiting: WhatsApp's status callbacks arrive at a campaign's own pace. */
const notLivePrefixes = ["/webhooks/"];

/**
 * A Fastify instance with Parley's cross-cutting behaviour: zod validation and serialisation,
 * the error catalogue, body limit, rate limits, form bodies (pusher-js posts channel auth as
 * application/x-www-form-urlencoded) and the OpenAPI document at /api/docs. Routes are
 * registered by the caller (main.ts).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // A function rather than Fastify's number form, which Fastify 5 no longer honours.
    ...(options.trustProxy ? { trustProxy: trustFunction(options.trustProxy) } : {}),
    bodyLimit: options.bodyLimitBytes,
    // Requests are logged once, at debug, by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    // The WebSocket server shares the port; long-lived upgrades are not Fastify's requests.
    forceCloseConnections: "idle",
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installLingeringClose(app, options.lingeringClose);
  const { liveWork } = options;
  if (liveWork) {
    app.addHook("onRequest", (request, reply, done) => {
      // "close" fires once the response is sent or the connection is gone, whatever the route did.
      if (!notLivePrefixes.some((prefix) => request.url.startsWith(prefix))) reply.raw.once("close", liveWork.begin());
      done();
    });
  }

  await app.register(formBody);
  await registerWidgetCors(app, ["/api/v1/widget/", "/broadcasting/"]);
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    ...(options.rateLimitStore ? { redis: options.rateLimitStore.redis, nameSpace: `${options.rateLimitStore.keyPrefix}rate-limit:`, skipOnError: true } : {}),
    allowList: (request) => (options.rateLimitExemptPrefixes ?? []).some((prefix) => request.url.startsWith(prefix)),
    // Rate-limited replies go through the error handler so they keep Parley's error shape.
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.` }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: "Parley API", version: "1.0.0", description: "Real-time customer messaging: agents, conversations, messages, the website widget." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });

  app.addHook("onResponse", async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, ip: request.ip, status: reply.statusCode, ms: reply.elapsedTime }, "request");
  });
  return app;
}
