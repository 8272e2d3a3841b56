/**
 * Runs the retention sweep of webhook deliveries (domain/webhooks/delivery-retention.ts) on a
 * worker node: `firstAfterMs` after start (default a minute, out of start-up's way), then every
 * `everyMs` (default an hour). Worker nodes sweeping at once share the work: each skips the rows
 * another is deleting (SKIP LOCKED).
 */
import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import type { Clock } from "../domain/clock.ts";
import { sweepWebhookDeliveries } from "../domain/webhooks/delivery-retention.ts";
import type { WebhookDeliveryRepository } from "../domain/webhooks/webhook-deliveries.port.ts";

export interface WebhookRetentionOptions {
  repository: Pick<WebhookDeliveryRepository, "deleteSettledBefore">;
  clock: Clock;
  /** Days a settled delivery is kept (`WEBHOOK_RETENTION_DAYS`); 0 runs nothing. */
  retentionDays: number;
  logger: Logger;
  /** Where `parley_webhook_deliveries_deleted_total` (deliveries this node deleted) registers; none when omitted. */
  registry?: Registry;
  /** ms before the first sweep (default 60,000). */
  firstAfterMs?: number;
  /** ms between sweeps (default 3,600,000). */
  everyMs?: number;
}

/** A running sweep schedule; `stop()` cancels the next sweep and waits for one under way. */
export interface WebhookRetention {
  stop(): Promise<void>;
}

/** Starts the schedule. A failed sweep is logged (warn) and the next one tries again; its timers do not keep the process alive. */
export function startWebhookRetention(options: WebhookRetentionOptions): WebhookRetention {
  if (options.retentionDays <= 0) return { stop: async () => {} };
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const deletions = options.registry
    ? new Counter({
        name: "parley_webhook_deliveries_deleted_total",
        help: "Settled webhook deliveries this node deleted past WEBHOOK_RETENTION_DAYS.",
        registers: [options.registry],
      })
    : null;
  const sweep = async () => {
    try {
      const deleted = await sweepWebhookDeliveries(options.repository, options.clock.now(), { retentionDays: options.retentionDays });
      deletions?.inc(deleted);
      if (deleted > 0) options.logger.info({ deleted, retentionDays: options.retentionDays }, "deleted settled webhook deliveries past their retention");
    } catch (error) {
      options.logger.warn({ err: error }, "webhook delivery retention sweep failed; the next one tries again");
    }
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = sweep().finally(() => {
        running = null;
        if (!stopped) schedule(options.everyMs ?? 3_600_000);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(options.firstAfterMs ?? 60_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
