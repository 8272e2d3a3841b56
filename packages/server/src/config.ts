import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./http/client-address.ts";
import { type GapRange, parseGapRange } from "./domain/campaigns/pacing.ts";
import { DEFAULT_WEBHOOK_RETENTION_DAYS } from "./domain/webhooks/delivery-retention.ts";
import { MAX_CHANNELS_PER_CONNECTION } from "@parley/protocol";
import { type AppDefinition, parseAppDefinitions } from "./realtime/apps/app-config.ts";
import { decodeSecretKey, secretKeyForms } from "./security/secret-box.ts";

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.string().url().optional())
  .optional();

/** Every environment variable Parley reads, with defaults. */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** The PGlite data directory when DATABASE_URL is not set. */
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: optionalUrl,
  REDIS_URL: optionalUrl,
  /** Prefix of every Redis key and pub/sub channel Parley uses, so installations can share a Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).default("parley:"),
  /** The URL people reach Parley at (for printed links); defaults to http://localhost:PORT. */
  PUBLIC_URL: optionalUrl,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Requests per minute per client IP on the API (agents and widgets). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Login and sign-up attempts per minute per client IP. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** The proxies in front of the nodes whose X-Forwarded-For is believed: a hop count, or IPs and CIDRs (http/client-address.ts). */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Seconds a quiet socket may stay open before it must answer a ping (Pusher activity_timeout). */
  ACTIVITY_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(30),
  /** How long LLM suggestions may take before the offline answer is given, in ms (issue 9: 8 s). */
  AI_TIMEOUT_MS: z.coerce.number().int().positive().default(8000),
  /** Over how many ms shutdown spreads the closing of sockets. */
  SHUTDOWN_STAGGER_MS: z.coerce.number().int().min(0).default(2000),
  /** Pusher app credentials; generated once and kept in the database when not given. */
  PUSHER_APP_ID: z.string().optional(),
  PUSHER_APP_KEY: z.string().optional(),
  PUSHER_APP_SECRET: z.string().optional(),
  /** Other apps' Pusher credentials, a JSON array (realtime/apps/app-config.ts); or PARLEY_APPS_FILE, a file holding it. */
  PARLEY_APPS: z.string().optional(),
  PARLEY_APPS_FILE: z.string().optional(),
  /** Channels one WebSocket connection may be subscribed to at once; more are refused with a subscription error. */
  MAX_CHANNELS_PER_CONNECTION: z.coerce.number().int().positive().default(MAX_CHANNELS_PER_CONNECTION),
  /**
   * WebSocket connections one client address may hold open on this node, over every app; 0 for no
   * cap. High by default: website visitors behind a mobile carrier's NAT share one address.
   */
  REALTIME_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(1000),
  /** Key of the secrets sealed at rest (security/secret-box.ts); generated under DATA_DIR when unset. */
  /** WhatsApp Web sessions this node runs at most (Baileys: tens of MB each; whatsapp-web.js: a Chromium of ~300 MB each). */
  WHATSAPP_MAX_SESSIONS: z.coerce.number().int().min(0).default(20),
  /** How long a node's lease on a WhatsApp Web session lasts unless renewed, in ms: how soon a dead node's sessions move (renewed every third). */
  WHATSAPP_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  /** Cloud API sends per second per phone number, live replies and campaigns together (Meta's default throughput: 80). */
  WHATSAPP_CLOUD_SENDS_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
  /** WhatsApp Web campaigns: the random gap between two sends, "min-max" in ms (the gateways' ban-avoidance practice: 30–60 s). */
  CAMPAIGN_WEB_GAP_MS: z
    .string()
    .default("30000-60000")
    .transform((value, context) => {
      try {
        return parseGapRange(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** How long a campaign dispatcher's lease lasts unless renewed, in ms: how soon a dead node's campaign carries on elsewhere. */
  CAMPAIGN_DISPATCH_LEASE_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  /** Days a processed or failed provider webhook delivery is kept for replay before worker nodes delete it; 0 keeps them all. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(DEFAULT_WEBHOOK_RETENTION_DAYS),
  /** This node's id for WhatsApp Web session leases; default host name, process id and a random part. */
  PARLEY_NODE_ID: z.string().trim().min(1).max(200).optional(),
  PARLEY_SECRET_KEY: z
    .string()
    .optional()
    .refine((value) => value === undefined || value.trim() === "" || decodeSecretKey(value) !== null, `must be ${secretKeyForms}`),
});

/** Parley's typed configuration. Sizes in bytes, durations as their names say. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** When set, real-time fan-out and presence go through this Redis (scaled-out nodes). */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  authRateLimitPerMinute: number;
  /** `TRUST_PROXY`: whose X-Forwarded-For gives the client's address; undefined trusts none. */
  trustProxy: TrustProxy | undefined;
  activityTimeoutSeconds: number;
  /** AI_TIMEOUT_MS. */
  aiTimeoutMs: number;
  shutdownStaggerMs: number;
  pusherApp: { id?: string | undefined; key?: string | undefined; secret?: string | undefined };
  /** Apps hosted besides Parley's own (PARLEY_APPS or PARLEY_APPS_FILE); empty when neither is set. */
  apps: AppDefinition[];
  /** MAX_CHANNELS_PER_CONNECTION. */
  maxChannelsPerConnection: number;
  /** REALTIME_MAX_CONNECTIONS_PER_IP: a client address's open WebSocket connections on this node; 0 for no cap. */
  maxConnectionsPerAddress: number;
  /**
   * PARLEY_SECRET_KEY as given (already checked to be a 32-byte key in base64 or hex), or
   * undefined; `loadSecretKey` turns it, or the key file under DATA_DIR, into the key.
   */
  secretKey: string | undefined;
  whatsappMaxSessions: number;
  /** `WHATSAPP_LEASE_TTL_MS`. */
  whatsappLeaseTtlMs: number;
  /** Unique among the nodes sharing the database. */
  nodeId: string;
  /** `WHATSAPP_CLOUD_SENDS_PER_SECOND`. */
  whatsappCloudSendsPerSecond: number;
  /** `CAMPAIGN_WEB_GAP_MS` and `CAMPAIGN_DISPATCH_LEASE_MS`. */
  campaigns: { webGap: GapRange; leaseMs: number };
  /** `WEBHOOK_RETENTION_DAYS`: days settled webhook deliveries are kept (0: for ever). */
  webhookRetentionDays: number;
}

/**
 * Reads the configuration from `environment` (default process.env), and the file named by
 * PARLEY_APPS_FILE. Throws an Error naming every invalid variable, or the apps' problems.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    // "memory://" keeps PGlite in memory (tests, benchmarks); anything else is a directory.
    dataDir: env.DATA_DIR.startsWith("memory://") ? env.DATA_DIR : resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    activityTimeoutSeconds: env.ACTIVITY_TIMEOUT_SECONDS,
    aiTimeoutMs: env.AI_TIMEOUT_MS,
    shutdownStaggerMs: env.SHUTDOWN_STAGGER_MS,
    pusherApp: { id: env.PUSHER_APP_ID, key: env.PUSHER_APP_KEY, secret: env.PUSHER_APP_SECRET },
    apps: loadApps(env.PARLEY_APPS, env.PARLEY_APPS_FILE),
    maxChannelsPerConnection: env.MAX_CHANNELS_PER_CONNECTION,
    maxConnectionsPerAddress: env.REALTIME_MAX_CONNECTIONS_PER_IP,
    secretKey: env.PARLEY_SECRET_KEY?.trim() || undefined,
    whatsappMaxSessions: env.WHATSAPP_MAX_SESSIONS,
    whatsappLeaseTtlMs: env.WHATSAPP_LEASE_TTL_MS,
    nodeId: env.PARLEY_NODE_ID ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    whatsappCloudSendsPerSecond: env.WHATSAPP_CLOUD_SENDS_PER_SECOND,
    campaigns: { webGap: env.CAMPAIGN_WEB_GAP_MS, leaseMs: env.CAMPAIGN_DISPATCH_LEASE_MS },
    webhookRetentionDays: env.WEBHOOK_RETENTION_DAYS,
  };
}

function loadApps(inline: string | undefined, file: string | undefined): AppDefinition[] {
  const hasInline = inline !== undefined && inline.trim() !== "";
  const hasFile = file !== undefined && file.trim() !== "";
  if (hasInline && hasFile) throw new Error("Invalid configuration: set PARLEY_APPS or PARLEY_APPS_FILE, not both");
  if (hasInline) return parseAppDefinitions(inline, "PARLEY_APPS");
  if (!hasFile) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`PARLEY_APPS_FILE ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseAppDefinitions(text, `PARLEY_APPS_FILE ${file}`);
}
