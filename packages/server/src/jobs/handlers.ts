import type { Logger } from "pino";
import { downloadInboundMedia, type MediaDownloadDependencies } from "../domain/media/download-media.ts";
import { deliverMessage, type DeliveryDependencies } from "../domain/messages/deliver-message.ts";
import type { InboundEvent } from "../domain/providers/inbound.ts";
import { processWebhookDelivery } from "../domain/webhooks/webhooks.usecases.ts";
import { parseWebhookPayload } from "../providers/whatsapp-cloud/webhook-payload.ts";
import type { JobQueue } from "./pg-boss.ts";

/**
 * Parley's job handlers: each calls one domain use case. Outbound sends are the live queue
 * (an agent is watching the clock tick), webhook processing next, media downloads after.
 */
export function registerJobHandlers(
  queue: JobQueue,
  deps: DeliveryDependencies & MediaDownloadDependencies,
  logger: Logger,
  options: { engine?: "pglite" | "postgres" } = {},
): void {
  // PGlite has one connection: more workers only queue on it. PostgreSQL runs them in parallel.
  const parallel = options.engine === "postgres" ? 2 : 1;
  queue.work(
    "messages.send",
    async (payload) => {
      const outcome = await deliverMessage(deps, payload);
      if (outcome === "failed" || outcome === "retry_scheduled")
        logger.info({ messageId: payload.messageId, attempt: payload.attempt ?? 0, outcome }, "outbound send did not go through");
    },
    // Several sends in flight: a slow provider answer must not hold every other reply.
    { concurrency: 4 * parallel },
  );
  queue.work(
    "webhooks.whatsapp-cloud",
    async ({ deliveryId }) => {
      const outcome = await processWebhookDelivery(deps, deliveryId, (inbox, body) => cloudEventsFor(inbox.cloudApi?.phoneNumberId ?? null, body, logger));
      logger.debug({ deliveryId, outcome }, "webhook delivery processed");
    },
    { concurrency: 2 * parallel * parallel },
  );
  queue.work("media.download", async (payload) => {
    await downloadInboundMedia(deps, payload);
  });
}

/**
 * The events of a Cloud API delivery that concern one number. A WhatsApp Business Account's
 * webhook carries every number of the account, so changes for another phone number id are
 * skipped; errors Meta reports about the account are logged.
 */
function cloudEventsFor(phoneNumberId: string | null, body: string, logger: Logger): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (const change of parseWebhookPayload(body)) {
    for (const error of change.errors) logger.warn({ phoneNumberId: change.phoneNumberId, error }, "WhatsApp reported an error in a webhook");
    if (phoneNumberId !== null && change.phoneNumberId !== phoneNumberId) continue;
    events.push(...change.events);
  }
  return events;
}
