import type { Logger } from "pino";
import { downloadInboundMedia, type MediaDownloadDependencies } from "../domain/media/download-media.ts";
import { deliverMessage, type DeliveryDependencies } from "../domain/messages/deliver-message.ts";
import type { InboundEvent } from "../domain/providers/inbound.ts";
import type { Inbox } from "../domain/inboxes/inbox.ts";
import { processWebhookDeliveries } from "../domain/webhooks/webhooks.usecases.ts";
import type { WhatsAppEngine } from "../domain/whatsapp-web/engine.ts";
import { defaultSyncSettings, failSync, syncChatBatch } from "../domain/whatsapp-web/initial-sync.ts";
import { parseWebhookPayload } from "../providers/whatsapp-cloud/webhook-payload.ts";
import type { JobQueue } from "./pg-boss.ts";

/**
 * How many jobs of a queue run at once: `concurrency` fetch loops, each fetching and running up
 * to `batchSize` jobs together. Sends run several at a time so one slow provider answer does not
 * hold every other reply. PGlite has one connection, so one loop fetches batches there (every
 * extra loop only adds empty fetches on that connection); PostgreSQL runs two loops. A webhook
 * job drains one inbox (its batches go one at a time), so several run for several inboxes;
 * `webhookBatch` is how many deliveries one transaction applies: fewer on PGlite, whose one
 * connection every request waits for while a batch commits.
 */
export function workerSettings(engine: "pglite" | "postgres") {
  const loops = engine === "postgres" ? 2 : 1;
  return {
    send: { concurrency: loops, batchSize: 4 },
    webhooks: { concurrency: loops, batchSize: 4 },
    webhookBatch: { batchSize: engine === "postgres" ? 250 : 100, maxBatches: 20, maxAttempts: 5 },
  };
}

/** How long a webhook delivery whose processing failed waits before the next attempt, in ms. */
export const webhookRetryDelayMs = 10_000;

/** The most sends one node has in flight at once: what a crash may repeat (Meta has no idempotency key). */
export function maxSendsInFlight(engine: "pglite" | "postgres"): number {
  const { send } = workerSettings(engine);
  return send.concurrency * send.batchSize;
}

/**
 * Parley's job handlers: each calls one domain use case. Outbound sends are the live queue
 * (an agent is watching the clock tick), webhook processing next, media downloads after.
 */
export function registerJobHandlers(
  queue: JobQueue,
  deps: DeliveryDependencies & MediaDownloadDependencies & { whatsappSessions?: { engineFor(inboxId: string): WhatsAppEngine | null } },
  logger: Logger,
  options: { engine?: "pglite" | "postgres" } = {},
): void {
  const workers = workerSettings(options.engine ?? "pglite");
  queue.work(
    "messages.send",
    async (payload) => {
      const outcome = await deliverMessage(deps, payload);
      if (outcome === "failed" || outcome === "retry_scheduled")
        logger.info({ messageId: payload.messageId, attempt: payload.attempt ?? 0, outcome }, "outbound send did not go through");
    },
    workers.send,
  );
  queue.work(
    "webhooks.process",
    async ({ inboxId }) => {
      const result = await processWebhookDeliveries(deps, inboxId, (inbox, body) => webhookEventsFor(inbox, body, logger), workers.webhookBatch);
      logger.debug({ inboxId, ...result }, "webhook deliveries processed");
      if (result.failed > 0) logger.warn({ inboxId, failed: result.failed }, "webhook deliveries failed (kept in webhook_deliveries with the error)");
      if (result.more) await deps.store.jobs.schedule("webhooks.process", { inboxId }, { singletonKey: inboxId });
      // Its own key: a delayed job under the inbox's key would hold back the next deliveries' job.
      if (result.retryLater > 0) {
        await deps.store.jobs.schedule("webhooks.process", { inboxId }, { singletonKey: `${inboxId}:retry`, delayMs: webhookRetryDelayMs });
      }
    },
    workers.webhooks,
  );
  queue.work("whatsapp.sync", async ({ inboxId, offset, attempt = 0 }) => {
    const syncDeps = { ...deps, engineFor: (id: string) => deps.whatsappSessions?.engineFor(id) ?? null };
    const outcome = await syncChatBatch(syncDeps, { inboxId, offset });
    if (outcome === "next") {
      await deps.store.jobs.schedule(
        "whatsapp.sync",
        { inboxId, offset: offset + defaultSyncSettings.chatsPerBatch },
        { singletonKey: `sync:${inboxId}:${offset}` },
      );
    } else if (outcome === "not_here") {
      // The session may be reconnecting, or run on another node: try again for a few minutes.
      if (attempt >= 60) await failSync(syncDeps, inboxId);
      else await deps.store.jobs.schedule("whatsapp.sync", { inboxId, offset, attempt: attempt + 1 }, { delayMs: 5_000 });
    }
  });
  queue.work("media.download", async (payload) => {
    await downloadInboundMedia(deps, payload);
  });
}

/** A stored delivery's events, by the parser of its inbox's provider. Throws when it does not parse. */
function webhookEventsFor(inbox: Inbox, body: string, logger: Logger): InboundEvent[] {
  if (inbox.provider !== "whatsapp_cloud") throw new Error(`Inboxes of provider ${inbox.provider} receive no webhooks.`);
  return cloudEventsFor(inbox.cloudApi?.phoneNumberId ?? null, body, logger);
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
