import type { Logger } from "pino";
import { downloadInboundMedia, type MediaDownloadDependencies } from "../domain/media/download-media.ts";
import type { JobPayloads } from "../domain/jobs.ts";
import { dispatchCampaign, type DispatchOutcome, type DispatchSettings } from "../domain/campaigns/dispatch.ts";
import type { PendingOutcomeWrites } from "../domain/campaigns/outcome-writes.ts";
import type { IntentModelEngine } from "../domain/intelligence/classifier.port.ts";
import { type EnrichmentDependencies, enrichMessages, reenrichWorkspace } from "../domain/intelligence/enrich-messages.ts";
import { trainIntentClassifier } from "../domain/intelligence/intent-classifier.ts";
import { deliverMessage, type DeliveryDependencies, type DeliveryOutcome } from "../domain/messages/deliver-message.ts";
import { inboundStatusesOf } from "../domain/messages/late-statuses.ts";
import { receiveInbound } from "../domain/messages/receive-inbound.ts";
import type { InboundEvent } from "../domain/providers/inbound.ts";
import type { Inbox } from "../domain/inboxes/inbox.ts";
import { processWebhookDeliveries } from "../domain/webhooks/webhooks.usecases.ts";
import type { WhatsAppEngine } from "../domain/whatsapp-web/engine.ts";
import { defaultSyncSettings, failSync, syncChatBatch } from "../domain/whatsapp-web/initial-sync.ts";
import { parseWebhookPayload } from "../providers/whatsapp-cloud/webhook-payload.ts";
import type { JobQueue } from "./pg-boss.ts";
import { liveWork } from "../live-work.ts";
import { runAsBackgroundDatabaseWork } from "../store/database-priority.ts";

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

/** This node's WhatsApp Web sessions, as the job handlers use them (whatsapp-web/session-runtime.ts). */
export interface SessionJobTarget {
  /** The engine of a session running here, or null. */
  engineFor(inboxId: string): WhatsAppEngine | null;
  /** Whether this node holds the inbox's session (its lease), connected or not. */
  runsSession(inboxId: string): boolean;
  restart(inboxId: string): Promise<void>;
  logout(inboxId: string): Promise<void>;
  requestPairingCode(inboxId: string, phoneNumber: string): Promise<string>;
}

export type JobDependencies = DeliveryDependencies &
  MediaDownloadDependencies &
  EnrichmentDependencies & {
    /** Trains the workspaces' intent classifiers (`intelligence.train`). */
    intentEngine: IntentModelEngine;
    /** The campaign dispatcher's tunables (config.ts: CAMPAIGN_WEB_GAP_MS, CAMPAIGN_DISPATCH_LEASE_MS); defaults otherwise. */
    campaignSettings?: Partial<DispatchSettings>;
    /** Campaign outcomes held unwritten in this process; acks applied here wait for them. */
    outcomeWrites?: PendingOutcomeWrites | undefined;
    /** Resolves when a campaign's next send may start (dispatch.ts, `giveWay`); absent, at once. */
    giveWay?(): Promise<void>;
    /**
     * Runs a `campaigns.dispatch` job elsewhere (on PostgreSQL: the campaign thread,
     * jobs/campaign-thread.ts) and resolves with what it came to; absent, it runs here.
     */
    dispatchElsewhere?(job: { workspaceId: string; campaignId: string }): Promise<DispatchOutcome>;
  };

/**
 * Parley's job handlers: each calls one domain use case. Outbound sends are the live queue
 * (an agent is watching the clock tick), webhook processing next, media downloads after. The
 * per-inbox `whatsapp.session` queues are worked by the session runtime (`runSessionTask`).
 */
export function registerJobHandlers(queue: JobQueue, deps: JobDependencies, logger: Logger, options: { engine?: "pglite" | "postgres" } = {}): void {
  const workers = workerSettings(options.engine ?? "pglite");
  queue.work(
    "messages.send",
    // An agent watches the clock tick: campaigns give way while it is sent (live-work.ts).
    (payload) => liveWork.run(async () => logDelivery(logger, payload, await deliverMessage(deps, payload))),
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
  queue.work("messages.late-statuses", async ({ workspaceId, inboxId, statuses, attempt }) => {
    const found = await deps.store.inboxes.findWithConfig(inboxId);
    // A deleted inbox took its messages with it.
    if (found?.inbox.workspaceId !== workspaceId) return;
    const outcome = await receiveInbound(deps, found.inbox, inboundStatusesOf(statuses), { lateStatusAttempt: attempt });
    logger.debug({ inboxId, attempt, statuses: statuses.length, applied: outcome.statusChanges }, "late statuses applied again");
  });
  queue.work("media.download", async (payload) => {
    await downloadInboundMedia(deps, payload);
  });
  queue.work("messages.enrich", async (payload) => {
    await enrichMessages(deps, payload);
  });
  queue.work("campaigns.dispatch", async (payload) => {
    const outcome = deps.dispatchElsewhere
      ? await deps.dispatchElsewhere(payload)
      : await dispatchCampaign({ ...deps, ...(deps.campaignSettings ? { settings: deps.campaignSettings } : {}) }, payload);
    logger.debug({ campaignId: payload.campaignId, outcome }, "campaign dispatch ran");
  });
  queue.work("messages.reenrich", async (payload) => {
    const enriched = await reenrichWorkspace(deps, payload);
    logger.info({ workspaceId: payload.workspaceId, enriched }, "messages enriched again");
  });
  queue.work("intelligence.train", async ({ workspaceId }) => {
    const outcome = await trainIntentClassifier({ ...deps, engine: deps.intentEngine }, workspaceId);
    logger.info({ workspaceId, ...outcome }, "intent classifier trained");
  });
}

/** How the runtime works an inbox's `whatsapp.session` queue: two loops, so a send need not wait for a sync batch. */
export const sessionQueueWork = { concurrency: 2, batchSize: 1 } as const;

/**
 * Runs one task of an inbox's `whatsapp.session` queue on the node that owns the session: a
 * send through it, a sync batch, a media download, or an admin's command asked on another node.
 * Resolves with the task's result (`{ code }` for a pairing code). Rethrows what the use case
 * throws, so pg-boss retries the job.
 */
export async function runSessionTask(
  deps: JobDependencies,
  sessions: SessionJobTarget,
  logger: Logger,
  { inboxId, task }: JobPayloads["whatsapp.session"],
): Promise<object | undefined> {
  switch (task.kind) {
    case "send": {
      await liveWork.run(async () => logDelivery(logger, task, await deliverMessage({ ...deps, runsSession: sessions.runsSession }, task)));
      return undefined;
    }
    case "sync": {
      const outcome = await syncChatBatch({ ...deps, engineFor: sessions.engineFor }, { inboxId, offset: task.offset });
      if (outcome === "next") {
        const offset = task.offset + defaultSyncSettings.chatsPerBatch;
        await deps.store.jobs.schedule(
          "whatsapp.session",
          { inboxId, task: { kind: "sync", offset } },
          { singletonKey: `sync:${offset}`, priority: "background" },
        );
      } else if (outcome === "not_here") {
        // The session is reconnecting: try again for a few minutes, then report the sync failed.
        const attempt = task.attempt ?? 0;
        if (attempt >= 60) await failSync(deps, inboxId);
        else
          await deps.store.jobs.schedule("whatsapp.session", { inboxId, task: { ...task, attempt: attempt + 1 } }, { delayMs: 5_000, priority: "background" });
      }
      return undefined;
    }
    case "media":
      await downloadInboundMedia({ ...deps, runsSession: sessions.runsSession }, task);
      return undefined;
    case "mark_read":
    case "typing": {
      // Best effort, like on the agent's node: a session that is not connected now drops them.
      const engine = sessions.engineFor(inboxId);
      if (!engine) return undefined;
      if (task.kind === "mark_read") await engine.markRead(task.chat, [task.messageId]);
      else await engine.setTyping(task.chat, task.isTyping);
      return undefined;
    }
    case "restart":
      await sessions.restart(inboxId);
      return undefined;
    case "logout":
      await sessions.logout(inboxId);
      return undefined;
    case "pairing_code":
      return { code: await sessions.requestPairingCode(inboxId, task.phoneNumber) };
    case "campaign": {
      const settings = deps.campaignSettings ? { settings: deps.campaignSettings } : {};
      // Behind live work on the embedded database, as on the `campaigns.dispatch` queue.
      const outcome = await runAsBackgroundDatabaseWork(() => dispatchCampaign({ ...deps, ...settings, runsSession: sessions.runsSession }, task));
      logger.debug({ campaignId: task.campaignId, outcome }, "campaign dispatch ran on the session's node");
      return undefined;
    }
  }
}

function logDelivery(logger: Logger, job: { messageId: string; attempt?: number | undefined }, result: DeliveryOutcome): void {
  const context = { messageId: job.messageId, attempt: job.attempt ?? 0 };
  if (result.outcome === "failed" || result.outcome === "retry_scheduled")
    logger.info({ ...context, outcome: result.outcome }, "outbound send did not go through");
  if (result.outcome === "routed") logger.debug(context, "outbound send handed to the node that runs the WhatsApp session");
  if (result.outcome === "sent" && result.failover)
    logger.warn({ ...context, ...result.failover }, "outbound send failed over to another inbox: its own is not connected");
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
