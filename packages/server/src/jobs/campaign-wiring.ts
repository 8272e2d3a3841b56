/**
 * How campaigns run on this node (main.ts wires it in): their dispatcher's settings, the outcomes
 * held unwritten that acks wait for, and, on PostgreSQL, the campaign thread they send from and
 * the live work they give way to.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { OUTCOME_COALESCE_MS, PendingOutcomeWrites } from "../domain/campaigns/outcome-writes.ts";
import type { EventPublisher } from "../domain/events.ts";
import { liveWork, liveWorkMaxWaitMs } from "../live-work.ts";
import { CampaignThread } from "./campaign-thread.ts";
import type { JobDependencies } from "./handlers.ts";

/** What {@link wireCampaigns} gives the node. */
export interface CampaignWiring {
  /** Outcomes held unwritten in this process (the WhatsApp Web sessions' campaigns hold theirs here too). */
  outcomeWrites: PendingOutcomeWrites;
  /** The campaign thread, on a PostgreSQL node that works jobs; stopped or killed with the node. */
  campaignThread: CampaignThread | undefined;
  /** The campaign part of the job handlers' dependencies. */
  jobDependencies: Pick<JobDependencies, "campaignSettings" | "outcomeWrites" | "dispatchElsewhere" | "giveWay">;
}

/** Wires campaigns for a node on `engine`; starts nothing (the thread starts with the first dispatch). */
export function wireCampaigns(node: {
  config: Config;
  engine: "pglite" | "postgres";
  /** Whether this node works jobs (the `worker` role). */
  works: boolean;
  /** pg-boss's schema (JobQueue.schema). */
  jobSchema: string;
  /** PARLEY_SECRET_KEY's bytes. */
  secretKey: Uint8Array;
  /** The Cloud API providers' shared per-number count (shared-send-rates.ts). */
  cloudSendRates: SharedArrayBuffer;
  events: EventPublisher;
  logger: Logger;
}): CampaignWiring {
  const { config, engine } = node;
  // Campaign outcomes are written a few at a time; acks applied here wait for them, and those
  // another node applies first are tried again later (outcome-writes.ts).
  const outcomeWrites = new PendingOutcomeWrites();
  const campaignSettings = { ...config.campaigns, outcomeCoalesceMs: OUTCOME_COALESCE_MS, claimInTwoTransactions: engine === "pglite" };
  // On PostgreSQL campaigns send from a thread of their own, off the event loop that answers
  // agents (campaign-thread.ts); acks applied here wait for the outcomes it holds.
  const campaignThread =
    config.databaseUrl !== undefined && engine === "postgres" && node.works
      ? new CampaignThread({
          databaseUrl: config.databaseUrl,
          jobSchema: node.jobSchema,
          secretKey: new Uint8Array(node.secretKey),
          campaignSettings,
          cloudSendsPerSecond: config.whatsappCloudSendsPerSecond,
          cloudSendRates: node.cloudSendRates,
          liveWork: liveWork.share(),
          events: node.events,
          outcomeWrites,
          logger: node.logger.child({ component: "campaign-thread" }),
        })
      : undefined;
  return {
    outcomeWrites,
    campaignThread,
    jobDependencies: {
      campaignSettings,
      outcomeWrites,
      ...(campaignThread === undefined ? {} : { dispatchElsewhere: (job) => campaignThread.dispatch(job) }),
      // On PostgreSQL a campaign's sends go between agents' replies (live-work.ts). On the embedded
      // database its statements already queue behind live ones (database-priority.ts), and holding
      // sends back as well measured worse: a p99 during a campaign 1.34× the one without (0.93–1.08×
      // without holding back), and 53.5 sends/s with a slowest second of 41.
      ...(engine === "postgres" ? { giveWay: () => liveWork.quiet(liveWorkMaxWaitMs) } : {}),
    },
  };
}
