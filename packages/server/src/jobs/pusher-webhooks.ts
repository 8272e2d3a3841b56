import type { Logger } from "pino";
import { deliverWebhook, type WebhookDeliveryDependencies } from "../realtime/webhooks/delivery.ts";
import type { JobQueue } from "./pg-boss.ts";

/**
 * Works the `pusher.webhook` queue: each job POSTs one batch to a hosted app's backend. A failed
 * POST throws, so pg-boss retries it with back-off (queues.ts); a job whose app was removed from
 * the configuration is dropped with a warning.
 */
export function registerPusherWebhookHandler(queue: JobQueue, deps: WebhookDeliveryDependencies, logger: Logger): void {
  queue.work(
    "pusher.webhook",
    async (payload, job) => {
      const result = await deliverWebhook(deps, payload);
      if (result.outcome === "dropped") logger.warn({ appId: payload.appId, url: payload.url, reason: result.reason }, "pusher webhook dropped");
      else logger.debug({ appId: payload.appId, url: payload.url, status: result.status, retryCount: job.retryCount }, "pusher webhook delivered");
    },
    // Several at once: one slow receiver must not hold every other app's webhooks.
    { concurrency: 1, batchSize: 4 },
  );
}
