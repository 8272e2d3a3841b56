/**
 * The durable job port (ARCHITECTURE.md, "Topology": durable jobs in PostgreSQL with pg-boss).
 * Use cases schedule jobs through `Repositories.jobs`, inside the same transaction as the rows
 * the job will act on, so a committed message always has its send job and a rolled-back one
 * never does. `src/jobs/` implements it on pg-boss and runs the handlers.
 */

/** Every job Parley runs, by queue name, with its payload. Payloads hold ids, never secrets. */
export interface JobPayloads {
  /** Deliver an outbound message through its inbox's provider. */
  "messages.send": { workspaceId: string; messageId: string /** 0 for the first try, then 1, 2, 3 for the retries. */; attempt?: number };
  /** Process an inbox's stored webhook deliveries that wait (one job per inbox however many wait). */
  "webhooks.process": { inboxId: string };
  /** Import a WhatsApp Web inbox's recent chats, one batch of chats per job from `offset`. */
  "whatsapp.sync": { inboxId: string; offset: number /** Tries while the session ran on no node here. */; attempt?: number };
  /** Download an inbound message's media from the provider into storage. */
  "media.download": { workspaceId: string; messageId: string };
}

export type JobName = keyof JobPayloads;

/**
 * Queue priorities: a higher number is fetched first. Live replies go before webhook
 * processing, which goes before bulk work (campaigns, sync) that later issues add.
 */
export const jobPriorities = { live: 30, inbound: 20, background: 10, bulk: 0 } as const;

/** Options of one scheduled job. */
export interface ScheduleOptions {
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Another job with the same key in the same queue while this one waits is not created. */
  singletonKey?: string;
}

/** Schedules jobs inside the caller's transaction (bound like every repository). */
export interface JobScheduler {
  /** Adds a job; it becomes visible to workers when the surrounding transaction commits. */
  schedule<Name extends JobName>(name: Name, payload: JobPayloads[Name], options?: ScheduleOptions): Promise<void>;
}
