/**
 * The Pusher apps Parley hosts besides its own, from `PARLEY_APPS` (a JSON array) or
 * `PARLEY_APPS_FILE` (a file holding one). Each is what a Pusher or Reverb app is to its backend:
 * an id for the HTTP API path, a key for `/app/{key}`, a secret for every signature.
 *
 * ```json
 * [{ "id": "1001", "key": "shop-key", "secret": "shop-secret", "name": "Shop",
 *    "client_events": true, "user_authentication": true, "subscription_count": false,
 *    "max_connections": 5000, "webhooks": [{ "url": "https://shop.example/pusher/webhook",
 *    "events": ["channel_occupied", "channel_vacated"] }] }]
 * ```
 */
import { z } from "zod";
import { webhookEventNames, type WebhookEventName } from "../webhooks/events.ts";

/** Where an app's webhooks go, and which events (all when `events` is null). */
export interface AppWebhookTarget {
  url: string;
  events: WebhookEventName[] | null;
}

/** One hosted app, with every default applied. */
export interface AppDefinition {
  /** `[A-Za-z0-9_-]{1,64}`: the `{app_id}` of `/apps/{app_id}/…`, and part of its Redis keys. */
  id: string;
  /** `[A-Za-z0-9_.-]{1,128}`: the `{key}` of `/app/{key}`. */
  key: string;
  secret: string;
  /** For logs and metrics; default the id. */
  name: string;
  /** False: connections are closed with 4003 and the HTTP API answers 403. Default true. */
  enabled: boolean;
  /** Most concurrent connections, on each node (see README); null for no limit. Default null. */
  maxConnections: number | null;
  /** Whether clients may send `client-` events. Default true. */
  clientEvents: boolean;
  /** Whether `pusher:signin` is accepted (user authentication, watchlists). Default true. */
  userAuthentication: boolean;
  /** Whether subscribers get `pusher_internal:subscription_count` (not on presence channels). Default false. */
  subscriptionCount: boolean;
  webhooks: AppWebhookTarget[];
}

const webhookSchema = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//i.test(url), "must be an http:// or https:// URL"),
    events: z.array(z.enum(webhookEventNames)).min(1).optional(),
  })
  .strict();

const appSchema = z
  .object({
    // Laravel's PUSHER_APP_ID is numeric; accept it unquoted.
    id: z
      .union([z.string(), z.number().int().nonnegative()])
      .transform(String)
      .pipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ -")),
    key: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be 1-128 of A-Z a-z 0-9 _ . -"),
    secret: z.string().min(1),
    name: z.string().min(1).max(200).optional(),
    enabled: z.boolean().default(true),
    max_connections: z.number().int().positive().nullable().default(null),
    client_events: z.boolean().default(true),
    user_authentication: z.boolean().default(true),
    subscription_count: z.boolean().default(false),
    webhooks: z.array(webhookSchema).default([]),
  })
  .strict();

const appsSchema = z.array(appSchema).superRefine((apps, ctx) => {
  for (const field of ["id", "key"] as const) {
    const seen = new Set<string>();
    for (const [index, app] of apps.entries()) {
      if (seen.has(app[field])) ctx.addIssue({ code: "custom", path: [index, field], message: `duplicate ${field} ${JSON.stringify(app[field])}` });
      seen.add(app[field]);
    }
  }
});

/**
 * Parses and validates a JSON array of apps.
 * @param text the JSON text.
 * @param source what to name in errors (`PARLEY_APPS`, or the file's path).
 * @throws {Error} naming `source` and every problem: invalid JSON, an unknown field, a missing or
 *   malformed id/key/secret, a bad webhook URL or event name, a duplicate id or key.
 */
export function parseAppDefinitions(text: string, source: string): AppDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = appsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`);
    throw new Error(`${source} is invalid: ${problems.join("; ")}`);
  }
  return parsed.data.map((app) => ({
    id: app.id,
    key: app.key,
    secret: app.secret,
    name: app.name ?? app.id,
    enabled: app.enabled,
    maxConnections: app.max_connections,
    clientEvents: app.client_events,
    userAuthentication: app.user_authentication,
    subscriptionCount: app.subscription_count,
    webhooks: app.webhooks.map((webhook) => ({ url: webhook.url, events: webhook.events ?? null })),
  }));
}

/**
 * Checks that no hosted app reuses the id or key of Parley's own app, which is known only once
 * the database is open.
 * @throws {Error} naming the clashing app.
 */
export function checkAppsAgainstOwn(apps: readonly AppDefinition[], own: { id: string; key: string }): void {
  for (const app of apps) {
    if (app.id === own.id) throw new Error(`PARLEY_APPS: app id ${JSON.stringify(app.id)} is Parley's own app id; choose another`);
    if (app.key === own.key) throw new Error(`PARLEY_APPS: app ${JSON.stringify(app.id)} uses Parley's own app key; choose another`);
  }
}
