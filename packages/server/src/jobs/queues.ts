/**
 * The settings of every queue in `JobPayloads`. They are written to pg-boss's `queue` table at
 * start-up (created, then updated, so a changed value here reaches an existing database) and
 * stamped on each job when it is inserted: a job keeps the expiry and retry limit it was created
 * with.
 */
import { type JobName, type jobPriorities, perInboxJobNames } from "../domain/jobs.ts";

/** A priority by name; a higher number is fetched first within a queue. */
export type JobPriority = keyof typeof jobPriorities;

export interface QueueSettings {
  /** The priority a job gets unless its scheduler asks for another. */
  priority: JobPriority;
  /**
   * Seconds a fetched job may stay active before it counts as failed and is retried: how long a
   * handler may run, and how soon a job orphaned by a crashed node runs again elsewhere (pg-boss's
   * maintenance fails it; see `maintenanceIntervalSeconds` in pg-boss.ts). A handler that is
   * still running at the expiry is repeated, so this must exceed its slowest honest run.
   */
  expireInSeconds: number;
  /**
   * How many times pg-boss runs a job again after its handler threw, timed out or was orphaned.
   * At least 1, or a job in flight at a crash would be dropped as failed.
   */
  retryLimit: number;
  /** Seconds before the first pg-boss retry; doubled (with jitter) for each further one. */
  retryDelaySeconds: number;
}

/**
 * - `messages.send`: live priority; a 30 s expiry bounds how long an agent's message stays
 *   pending after a node dies mid-send (the cost: a provider call slower than 30 s is made
 *   twice, and Meta has no idempotency key). Outbound retries of provider errors (10 s, 30 s,
 *   60 s; domain/messages/send-retry.ts) are new jobs the handler schedules, not pg-boss retries.
 * - `webhooks.process`: inbound priority; one job drains an inbox's waiting deliveries in batches
 *   (bounded so it ends well within its expiry) and applying a delivery twice is harmless.
 * - `messages.late-statuses`: inbound priority; applying a status again moves nothing twice.
 * - `media.download`: background; a large video may take minutes to fetch.
 * - `whatsapp.session`: one queue per WhatsApp Web inbox, worked only by the session's owner;
 *   sends in it keep their live priority, sync batches (50 chats at 10 chats/s, a repeated batch
 *   stores nothing twice) go behind them. A 120 s expiry covers a sync batch over a slow phone;
 *   a job active on a node that died runs again on the new owner after it.
 * - `pusher.webhook`: inbound priority; a receiver that fails is retried with back-off for about
 *   5 minutes as Pusher does (1–2 s, then doubling: 8 retries), each POST bounded by a 10 s
 *   time-out well within the 30 s expiry.
 * - `messages.enrich`: background; pure computation over one stored batch (≤ a few hundred
 *   messages at about 0.1 ms each), repeated harmlessly.
 * - `messages.reenrich`: bulk, behind everything else; a page of 500 messages per job.
 * - `intelligence.train`: background; retraining from the stored corrections is idempotent and
 *   takes well under a second for thousands of examples.
 * - `campaigns.dispatch`: bulk, so live replies always go first; a job sends for at most a
 *   minute (domain/campaigns/dispatch.ts, `sliceMs`) then hands over to a fresh job, well within
 *   the 120 s expiry. A repeated job sends nothing twice: the campaign's lease lets one
 *   dispatcher at a time claim recipients, and a claim is committed before the provider call.
 */
export const queueSettings: Record<JobName, QueueSettings> = {
  "messages.send": { priority: "live", expireInSeconds: 30, retryLimit: 3, retryDelaySeconds: 2 },
  "webhooks.process": { priority: "inbound", expireInSeconds: 120, retryLimit: 5, retryDelaySeconds: 5 },
  "messages.late-statuses": { priority: "inbound", expireInSeconds: 30, retryLimit: 3, retryDelaySeconds: 5 },
  "media.download": { priority: "background", expireInSeconds: 300, retryLimit: 5, retryDelaySeconds: 10 },
  "whatsapp.session": { priority: "live", expireInSeconds: 120, retryLimit: 5, retryDelaySeconds: 5 },
  "pusher.webhook": { priority: "inbound", expireInSeconds: 30, retryLimit: 8, retryDelaySeconds: 1 },
  "messages.enrich": { priority: "background", expireInSeconds: 60, retryLimit: 3, retryDelaySeconds: 10 },
  "messages.reenrich": { priority: "bulk", expireInSeconds: 120, retryLimit: 3, retryDelaySeconds: 10 },
  "intelligence.train": { priority: "background", expireInSeconds: 120, retryLimit: 2, retryDelaySeconds: 30 },
  "campaigns.dispatch": { priority: "bulk", expireInSeconds: 120, retryLimit: 5, retryDelaySeconds: 5 },
};

export const jobNames = Object.keys(queueSettings) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(queueSettings, name);
}

/** Whether `name` has a queue per inbox rather than one queue. */
export function isPerInbox(name: JobName): name is PerInboxJobName {
  return (perInboxJobNames as readonly string[]).includes(name);
}

export type PerInboxJobName = (typeof perInboxJobNames)[number];

/** The pg-boss queue of one inbox's jobs of a per-inbox kind: `whatsapp.session.{inboxId}`. */
export function perInboxQueueName(name: PerInboxJobName, inboxId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(inboxId)) throw new TypeError(`An inbox id is letters, digits and dashes, not "${inboxId}".`);
  return `${name}.${inboxId}`;
}

/** The pg-boss queue a job of `name` with `payload` goes to. */
export function queueNameOf(name: JobName, payload: unknown): string {
  return isPerInbox(name) ? perInboxQueueName(name, (payload as { inboxId: string }).inboxId) : name;
}

/** The kind of a pg-boss queue: its name, or the per-inbox kind of `whatsapp.session.{inboxId}`. */
export function queueKindOf(queueName: string): string {
  for (const name of perInboxJobNames) if (queueName.startsWith(`${name}.`)) return name;
  return queueName;
}
