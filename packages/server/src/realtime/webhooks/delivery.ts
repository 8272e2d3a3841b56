/**
 * Sends one webhook POST (webhooks.md): the stored body as is, `Content-Type: application/json`,
 * `X-Pusher-Key` and `X-Pusher-Signature` (hex HMAC-SHA256 of the body with the app secret).
 * A 2xx answer is a delivery; anything else throws so the durable job retries with back-off.
 */
import { signWebhook, type AppCredentials } from "@parley/protocol/signing";
import type { WebhookDelivery } from "./batcher.ts";

/** What {@link deliverWebhook} needs. */
export interface WebhookDeliveryDependencies {
  /** The credentials of a hosted app by id, or undefined when it is no longer configured. */
  app(appId: string): AppCredentials | undefined;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long the receiver has to answer, in ms. Default 10000. */
  timeoutMs?: number;
}

/** Outcome of a delivery that did not throw. */
export type WebhookDeliveryOutcome = { outcome: "delivered"; status: number } | { outcome: "dropped"; reason: string };

/**
 * POSTs `delivery`.
 * @returns `delivered`, or `dropped` when its app is no longer configured (nothing could sign it).
 * @throws {Error} on a non-2xx answer, a network error or the time-out, naming the URL and cause.
 */
export async function deliverWebhook(deps: WebhookDeliveryDependencies, delivery: WebhookDelivery): Promise<WebhookDeliveryOutcome> {
  const app = deps.app(delivery.appId);
  if (app === undefined) return { outcome: "dropped", reason: `app ${delivery.appId} is not configured any more` };
  const send = deps.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-pusher-key": app.key, "x-pusher-signature": signWebhook(app, delivery.body) },
      body: delivery.body,
      redirect: "error",
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`webhook to ${delivery.url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // The body is not needed; reading it frees the connection for reuse.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`webhook to ${delivery.url} answered ${response.status}`);
  return { outcome: "delivered", status: response.status };
}
