/**
 * The durable job port (ARCHITECTURE.md, "Topology": durable jobs in PostgreSQL with pg-boss).
 * Use cases schedule jobs through `Repositories.jobs`, inside the same transaction as the rows
 * the job will act on, so a committed message always has its send job and a rolled-back one
 * never does. `src/jobs/` implements it on pg-boss and runs the handlers.
 */

import type { LateStatus } from "./messages/late-statuses.ts";

/** Every job Parley runs, by queue name, with its payload. Payloads hold ids, never secrets. */
export interface JobPayloads {
  /** Deliver an outbound message through its inbox's provider. */
  "messages.send": { workspaceId: string; messageId: string /** 0 for the first try, then 1, 2, 3 for the retries. */; attempt?: number };
  /** Process an inbox's stored webhook deliveries that wait (one job per inbox however many wait). */
  "webhooks.process": { inboxId: string };
  /**
   * Work that needs a WhatsApp Web inbox's session, so it runs only on the node that owns the
   * session: each inbox has a queue of its own (`whatsapp.session.{inboxId}`), worked by its
   * owner alone and taken over with the session when that node dies.
   */
  "whatsapp.session": { inboxId: string; task: SessionTask };
  /**
   * Apply again statuses whose message was not found when they came (messages/late-statuses.ts);
   * `attempt` is this try's number, from 1.
   */
  "messages.late-statuses": { workspaceId: string; inboxId: string; statuses: LateStatus[]; attempt: number };
  /** Download an inbound message's media from the provider into storage. */
  "media.download": { workspaceId: string; messageId: string };
  /** Enrich a batch of customer messages (language, sentiment, intent…; domain/intelligence), one job per stored batch. */
  "messages.enrich": { workspaceId: string; messageIds: string[] };
  /** Train a workspace's intent classifier on its agents' corrections (domain/intelligence/intent-classifier.ts). */
  "intelligence.train": { workspaceId: string };
  /** Enrich again a workspace's customer messages with ids after `afterId` (all when absent), a page per job. */
  "messages.reenrich": { workspaceId: string; afterId?: string };
  /**
   * Send a running campaign's next recipients (domain/campaigns/dispatch.ts), or start a
   * scheduled one that is due. Cloud API inboxes only; a WhatsApp Web inbox's campaign runs as
   * a `whatsapp.session` task of kind `campaign` on the session's owner.
   */
  "campaigns.dispatch": { workspaceId: string; campaignId: string };
  /** POST one batch of Pusher webhook events (`body`, exact bytes) to a hosted app's backend, signed with that app's secret. */
  "pusher.webhook": { appId: string; url: string; body: string };
}

export type JobName = keyof JobPayloads;

/** What a `whatsapp.session` job does on the session's owner. */
export type SessionTask =
  /** Send an outbound message through this inbox (its own, or one it stands in for on failover). */
  | {
      kind: "send";
      workspaceId: string;
      messageId: string;
      /** 0 for the first try, then 1, 2, 3. */
      attempt?: number;
      /** Seconds already waited for this node's session to finish connecting. */
      waitedSeconds?: number;
    }
  /** Import the inbox's recent chats, one batch of chats from `offset`. */
  | { kind: "sync"; offset: number /** Tries while the session was reconnecting. */; attempt?: number }
  /** Tell the customer their messages were read up to `messageId` (an agent opened the chat on another node). */
  | { kind: "mark_read"; chat: string; messageId: string }
  /** Show or clear "typing…" in a chat (an agent types on another node). */
  | { kind: "typing"; chat: string; isTyping: boolean }
  /** Download an inbound message's media through the session. */
  | { kind: "media"; workspaceId: string; messageId: string }
  /** An admin's command, asked on a node that does not run the session. */
  | { kind: "restart" }
  | { kind: "logout" }
  /** Send a campaign's next recipients through this session (bulk priority; see `campaigns.dispatch`). */
  | { kind: "campaign"; workspaceId: string; campaignId: string }
  /** Ask WhatsApp for a pairing code; the job's result is `{ code }`. */
  | { kind: "pairing_code"; phoneNumber: string };

/** Queues with one queue per inbox, by the payload's `inboxId` (see `whatsapp.session`). */
export const perInboxJobNames = ["whatsapp.session"] as const satisfies readonly JobName[];

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
  /** A priority other than the queue's own (jobs/queues.ts): a sync batch behind sends in an inbox's queue. */
  priority?: keyof typeof jobPriorities;
}

/** Schedules jobs inside the caller's transaction (bound like every repository). */
export interface JobScheduler {
  /** Adds a job; it becomes visible to workers when the surrounding transaction commits. */
  schedule<Name extends JobName>(name: Name, payload: JobPayloads[Name], options?: ScheduleOptions): Promise<void>;
}
