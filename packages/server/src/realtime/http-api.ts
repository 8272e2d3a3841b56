/**
 * The Pusher Channels HTTP API (pusher/docs `rest-api.md`, `terminating-user-connections.md`) as
 * an encapsulated Fastify plugin, so other backends can publish with Pusher's server SDKs.
 *
 * Every request is signed (auth_key, auth_timestamp within 600 s, auth_version 1.0, body_md5 of
 * the RAW body, auth_signature); failures answer 401. Errors use Parley's shape
 * `{"error":{"code","message"}}` (Pusher SDKs read only the status).
 *
 * Every hosted app is served: `{app_id}` picks the app's real-time server, and the request must be
 * signed with that app's key and secret (another app's signature answers 401), so an app sees
 * and publishes to its own channels only. A disabled app answers 403.
 *
 * Register at the root: `app.register(pusherHttpApi, { servers })` (the signature covers the path
 * as sent, prefix included, so a prefix works too).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  classifyChannel,
  isValidSocketId,
  isValidUserId,
  MAX_BATCH_EVENTS,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_NAME_LENGTH,
  MAX_TRIGGER_CHANNELS,
} from "@parley/protocol";
import { verifyHttpApiRequest } from "@parley/protocol/signing";
import type { RealtimeServer } from "./server.ts";
import type { ChannelStats } from "./types.ts";

/** Options of {@link pusherHttpApi}. */
export interface PusherHttpApiOptions {
  /** The real-time server of the app with this id, or undefined (404). */
  servers: (appId: string) => RealtimeServer | undefined;
  /** Largest request body in bytes; default 256 KiB (a full batch is ≤ 10 × 10 KB plus names). */
  bodyLimit?: number;
  /** Clock in ms for the timestamp check; default `Date.now`. */
  now?: () => number;
}

/** An error answered as `{"error":{"code","message"}}` with `status`. */
class HttpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const eventName = z
  .string()
  .min(1)
  .max(MAX_EVENT_NAME_LENGTH)
  .refine((name) => !name.startsWith("pusher:") && !name.startsWith("pusher_internal:"), "event names starting with pusher: are reserved");

const eventFields = {
  name: eventName,
  data: z.string({ error: "data must be a string (JSON-encode it first)" }),
  socket_id: z.string().refine(isValidSocketId, "socket_id must match ^\\d+\\.\\d+$").optional(),
  info: z.string().optional(),
};

const TriggerBody = z
  .object({
    ...eventFields,
    channels: z.array(z.string()).min(1).max(MAX_TRIGGER_CHANNELS).optional(),
    channel: z.string().optional(),
  })
  .refine((body) => body.channels !== undefined || body.channel !== undefined, "channel or channels is required");

const BatchBody = z.object({
  batch: z
    .array(z.object({ ...eventFields, channel: z.string() }))
    .min(1)
    .max(MAX_BATCH_EVENTS),
});

type InfoAttribute = "user_count" | "subscription_count";

/**
 * Registers the routes. Encapsulated (not wrapped with fastify-plugin): its raw-body JSON parser,
 * signature hook and error handler apply to these routes only.
 */
export async function pusherHttpApi(fastify: FastifyInstance, opts: PusherHttpApiOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  // The server each request was signed for, set by the preHandler below.
  const servers = new WeakMap<FastifyRequest, RealtimeServer>();
  const serverOf = (request: FastifyRequest): RealtimeServer => {
    const server = servers.get(request);
    if (server === undefined) throw new Error("pusher http api: request without an app");
    return server;
  };

  // body_md5 is over the exact bytes received, so keep the body as the raw string and parse
  // only after the signature check.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("application/json", { parseAs: "string", bodyLimit: opts.bodyLimit ?? 256 * 1024 }, (_req, body, done) => {
    done(null, body);
  });

  fastify.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof HttpApiError) return sendError(reply, error.status, error.code, error.message);
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, "pusher http api failed");
      return sendError(reply, 500, "realtime.internal", "Internal server error");
    }
    return sendError(reply, status, status === 413 ? "realtime.payload_too_large" : "realtime.invalid_request", error.message);
  });

  fastify.addHook("preHandler", async (request: FastifyRequest<{ Params: { appId?: string } }>) => {
    const realtime = request.params.appId === undefined ? undefined : opts.servers(request.params.appId);
    if (realtime === undefined) throw new HttpApiError(404, "realtime.app_not_found", "Unknown app id");
    const app = realtime.app;
    const url = request.raw.url ?? "/";
    const q = url.indexOf("?");
    const verdict = verifyHttpApiRequest(app, {
      method: request.method,
      path: q === -1 ? url : url.slice(0, q),
      query: new URLSearchParams(q === -1 ? "" : url.slice(q + 1)),
      body: typeof request.body === "string" ? request.body : "",
      nowMs: now(),
    });
    if (!verdict.ok) throw new HttpApiError(401, "realtime.unauthorized", verdict.reason);
    if (!realtime.enabled) throw new HttpApiError(403, "realtime.app_disabled", "This app is disabled");
    servers.set(request, realtime);
  });

  fastify.post("/apps/:appId/events", async (request) => {
    const realtime = serverOf(request);
    const body = parseBody(request.body, TriggerBody);
    checkDataSize(body.data);
    const channels = body.channels ?? [body.channel as string];
    checkChannels(channels);
    const attributes = parseInfo(body.info, channels);
    await realtime.publish(channels, body.name, body.data, body.socket_id === undefined ? {} : { exceptSocketId: body.socket_id });
    if (attributes.length === 0) return {};
    const stats = await realtime.channels();
    return { channels: Object.fromEntries([...new Set(channels)].map((c) => [c, pick(stats.get(c), attributes, c)])) };
  });

  fastify.post("/apps/:appId/batch_events", async (request) => {
    const realtime = serverOf(request);
    const { batch } = parseBody(request.body, BatchBody);
    for (const event of batch) checkDataSize(event.data);
    checkChannels(batch.map((event) => event.channel));
    const attributes = batch.map((event) => parseInfo(event.info, [event.channel]));
    for (const event of batch) {
      await realtime.publish([event.channel], event.name, event.data, event.socket_id === undefined ? {} : { exceptSocketId: event.socket_id });
    }
    if (attributes.every((a) => a.length === 0)) return {};
    const stats = await realtime.channels();
    return { batch: batch.map((event, i) => pick(stats.get(event.channel), attributes[i] ?? [], event.channel)) };
  });

  fastify.get("/apps/:appId/channels", async (request: FastifyRequest<{ Querystring: { filter_by_prefix?: string; info?: string } }>) => {
    const realtime = serverOf(request);
    const prefix = request.query.filter_by_prefix;
    const attributes = parseInfoList(request.query.info);
    if (attributes.includes("user_count") && !prefix?.startsWith("presence-")) {
      throw badRequest("info=user_count needs filter_by_prefix=presence-");
    }
    const stats = await realtime.channels(prefix === undefined ? {} : { prefix });
    return { channels: Object.fromEntries([...stats].map(([name, s]) => [name, pick(s, attributes, name)])) };
  });

  fastify.get("/apps/:appId/channels/:channelName", async (request: FastifyRequest<{ Params: { channelName: string }; Querystring: { info?: string } }>) => {
    const realtime = serverOf(request);
    const name = request.params.channelName;
    checkChannels([name]);
    const attributes = parseInfo(request.query.info, [name]);
    const state = await realtime.channel(name);
    return { occupied: state.occupied, ...pick(state, attributes, name) };
  });

  fastify.get("/apps/:appId/channels/:channelName/users", async (request: FastifyRequest<{ Params: { channelName: string } }>) => {
    const realtime = serverOf(request);
    const name = request.params.channelName;
    if (classifyChannel(name)?.kind !== "presence") throw badRequest("Only presence channels have users");
    const members = await realtime.presenceMembers(name);
    return { users: members.map((member) => ({ id: member.id })) };
  });

  fastify.post("/apps/:appId/users/:userId/terminate_connections", async (request: FastifyRequest<{ Params: { userId: string } }>) => {
    if (!isValidUserId(request.params.userId)) throw badRequest("Invalid user id");
    const realtime = serverOf(request);
    await realtime.terminateUserConnections(request.params.userId);
    return {};
  });
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).send({ error: { code, message } });
}

function badRequest(message: string): HttpApiError {
  return new HttpApiError(400, "realtime.invalid_request", message);
}

function parseBody<T>(raw: unknown, schema: z.ZodType<T>): T {
  if (typeof raw !== "string" || raw.length === 0) throw badRequest("A JSON body is required");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest("The body is not valid JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? "body" : issue.path.join(".");
    throw badRequest(`${field}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

/** rest-api.md: "The event data should not be larger than 10KB … you will receive a 413". */
function checkDataSize(data: string): void {
  const bytes = Buffer.byteLength(data, "utf8");
  if (bytes > MAX_EVENT_DATA_BYTES) {
    throw new HttpApiError(413, "realtime.payload_too_large", `data is ${bytes} bytes; the limit is ${MAX_EVENT_DATA_BYTES}`);
  }
}

function checkChannels(channels: readonly string[]): void {
  const invalid = channels.find((c) => classifyChannel(c) === null);
  if (invalid !== undefined) throw badRequest(`Invalid channel name: ${JSON.stringify(invalid.slice(0, 200))}`);
}

function parseInfoList(info: string | undefined): InfoAttribute[] {
  if (info === undefined || info === "") return [];
  const attributes = info.split(",").map((a) => a.trim());
  const unknown = attributes.find((a) => a !== "user_count" && a !== "subscription_count");
  if (unknown !== undefined) throw badRequest(`Unknown info attribute: ${unknown.slice(0, 50)}`);
  return attributes as InfoAttribute[];
}

/** rest-api.md: user_count applies to presence channels only; asking it of another is a 400. */
function parseInfo(info: string | undefined, channels: readonly string[]): InfoAttribute[] {
  const attributes = parseInfoList(info);
  if (attributes.includes("user_count") && channels.some((c) => classifyChannel(c)?.kind !== "presence")) {
    throw badRequest("info=user_count is only available for presence channels");
  }
  return attributes;
}

function pick(stats: ChannelStats | undefined, attributes: readonly InfoAttribute[], channel: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const attribute of attributes) {
    if (attribute === "subscription_count") out.subscription_count = stats?.subscriptionCount ?? 0;
    else if (classifyChannel(channel)?.kind === "presence") out.user_count = stats?.userCount ?? 0;
  }
  return out;
}
