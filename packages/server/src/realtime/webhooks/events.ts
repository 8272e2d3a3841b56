/**
 * Pusher webhook events and the body that carries them. Pure.
 *
 * Source: pusher/docs `webhooks.md` (§ Webhook format, § Events): a POST whose JSON body is
 * `{"time_ms": <ms since the epoch when the webhook was created>, "events": [...]}`, each event a
 * `name` with its own fields. `subscription_count` is not in the public page; its shape follows
 * Pusher's dashboard webhook (`{name, channel, subscription_count}`).
 */

/** Every webhook event name, in the order the docs list them. */
export const webhookEventNames = ["channel_occupied", "channel_vacated", "member_added", "member_removed", "client_event", "subscription_count"] as const;

/** One of {@link webhookEventNames}. */
export type WebhookEventName = (typeof webhookEventNames)[number];

/** One event of a webhook body, as the receiver reads it. */
export type WebhookEvent =
  | { name: "channel_occupied" | "channel_vacated"; channel: string }
  | { name: "member_added" | "member_removed"; channel: string; user_id: string }
  | {
      name: "client_event";
      channel: string;
      /** The client event's name (`client-…`). */
      event: string;
      /** The data as a string, as clients receive it. */
      data: string;
      socket_id: string;
      /** Presence channels only. */
      user_id?: string;
    }
  | { name: "subscription_count"; channel: string; subscription_count: number };

/** The body of one webhook POST. */
export interface WebhookBody {
  /** When the webhook was created, ms since the epoch. */
  time_ms: number;
  events: WebhookEvent[];
}

/**
 * Encodes a webhook body once: the job keeps these exact bytes, so every retry sends (and signs)
 * the same body.
 */
export function encodeWebhookBody(events: readonly WebhookEvent[], timeMs: number): string {
  const body: WebhookBody = { time_ms: timeMs, events: [...events] };
  return JSON.stringify(body);
}
