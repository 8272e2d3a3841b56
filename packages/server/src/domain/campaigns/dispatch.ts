/**
 * The campaign dispatcher (issue 10, part 3): sends a running campaign's recipients, paced to
 * its inbox's rules, each at most once.
 *
 * - One dispatcher per campaign at a time: it holds `campaigns.dispatch_lease_until` (taken with
 *   a conditional UPDATE), renewed every `statusCheckMs` together with a re-read of the status,
 *   so a pause or cancel takes effect within that time plus the sends in flight.
 * - Recipients are claimed in a committed transaction before the provider call (claim-batch.ts)
 *   and their outcome is recorded right after it (outcome-recorder.ts). A claim left by a
 *   dispatcher that died is sent once more if it was claimed once, else failed `interrupted`: a
 *   send in flight at a crash may repeat once; nothing else repeats; nobody is forgotten.
 * - Cloud API: slot pacing (pacing.ts, `SlotPacer`) with up to `maxInFlight` sends in flight, and
 *   every send goes through the provider's per-number rate limiter like live replies.
 *   WhatsApp Web: one send at a time, a random gap between sends and "typing…" before each.
 * - The daily cap (the smaller of the campaign's `daily_cap` and the inbox's messaging limit)
 *   counts unique contacts all the inbox's campaigns reached in the last 24 h or are sending to,
 *   from the recipients table, so it holds across restarts; each batch is claimed within the room
 *   left under the inbox's lock (claim-batch.ts, daily-room.ts), so campaigns sending at once
 *   share it. When none is left the campaign stays running, says it waits (`waiting_until`,
 *   `daily_cap`) and its next dispatch is scheduled for then (or sooner: raising the inbox's
 *   messaging limit kicks it).
 * - Meta's 130429 holds the whole campaign back (`throughput`) until its back-off ends.
 * - A job runs for at most `sliceMs`, then hands over to a fresh job (in one transaction with
 *   freeing the lease), so a job never outlives its queue's expiry.
 * - A WhatsApp Web inbox whose session cannot send (not ready, or a send refused without a
 *   WhatsApp error code) makes the campaign wait (`inbox_unavailable`) and look again in 30 s,
 *   rather than failing recipient after recipient.
 */
import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import type { Store } from "../ports.ts";
import type { ProviderDirectory } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
import type { Campaign } from "./campaign.ts";
import { beginScheduledCampaign } from "./begin.ts";
import { claimBatch } from "./claim-batch.ts";
import type { PendingOutcomeWrites } from "./outcome-writes.ts";
import { CampaignWaiting } from "./campaign-waiting.ts";
import { type GapRange, DEFAULT_WEB_GAP_MS, resolvePacing, SlotPacer } from "./pacing.ts";
import { scheduleDispatch } from "./scheduling.ts";
import { SendRun, SESSION_RETRY_MS } from "./send-run.ts";
import { approvedTemplateBody } from "./template-body.ts";

/** Tunables of the dispatcher; tests shorten them (config.ts: CAMPAIGN_* variables). */
export interface DispatchSettings {
  /** How long a dispatcher's lease lasts unless renewed, ms; a dead dispatcher's campaign moves on after it. Default 30 s. */
  leaseMs: number;
  /** How often the status is re-read (and the lease renewed) while sending, ms. Default 200. */
  statusCheckMs: number;
  /** The longest one dispatch job sends before handing over to a fresh one, ms. Default 60 s. */
  sliceMs: number;
  /** Cloud API sends in flight at once. Default 8. */
  maxInFlight: number;
  /** WhatsApp Web gap between sends (CAMPAIGN_WEB_GAP_MS). Default 30–60 s. */
  webGap: GapRange;
  /**
   * How long a send's outcome may wait to be written with others, ms (outcome-recorder.ts).
   * Default 0: written as each send returns. More only with `outcomeWrites` given, so that acks
   * applied in this process wait for held outcomes (outcome-writes.ts).
   */
  outcomeCoalesceMs: number;
  /**
   * Whether a claim is committed in two transactions with the event loop's waiting work between
   * them (claim-batch.ts). True on the embedded database, where a transaction's statements run
   * back to back on the event loop and an agent's reply waits for all of them. Default false: on
   * PostgreSQL replies run beside a claim on other connections, and two transactions measured
   * worse there (stalls of 0.4–0.9 s in the live-reply benchmark).
   */
  claimInTwoTransactions: boolean;
}

export const defaultDispatchSettings: DispatchSettings = {
  leaseMs: 30_000,
  statusCheckMs: 200,
  sliceMs: 60_000,
  maxInFlight: 8,
  webGap: DEFAULT_WEB_GAP_MS,
  outcomeCoalesceMs: 0,
  claimInTwoTransactions: false,
};

export interface DispatchDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  providers: ProviderDirectory;
  sealer: SecretSealer;
  /** Whether this node runs an inbox's WhatsApp Web session; absent, every session counts as elsewhere. */
  runsSession?(inboxId: string): boolean;
  settings?: Partial<DispatchSettings>;
  /** Waits (tests may speed it up); default setTimeout. */
  sleep?(ms: number): Promise<void>;
  /** [0, 1); default Math.random (the WhatsApp Web gaps). */
  random?(): number;
  /** Outcomes held for `settings.outcomeCoalesceMs`, registered so that acks wait for them (outcome-writes.ts). */
  outcomeWrites?: PendingOutcomeWrites;
  /**
   * Resolves when the next send may start; Parley's waits while an agent's request or message is
   * under way in this process, for a bounded time (live-work.ts), so sends go between live
   * replies. Absent, sends start at once.
   */
  giveWay?(): Promise<void>;
}

/** What one dispatch job came to. */
export type DispatchOutcome = "not_running" | "busy" | "routed" | "waiting" | "stopped" | "completed" | "continued";

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs one dispatch job of a campaign (the `campaigns.dispatch` job, or a WhatsApp Web session's `campaign` task). */
export async function dispatchCampaign(deps: DispatchDependencies, job: { workspaceId: string; campaignId: string }): Promise<DispatchOutcome> {
  const settings = { ...defaultDispatchSettings, ...deps.settings };
  const { store, clock } = deps;
  const now = clock.now();
  const existing = await store.campaigns.findById(job.workspaceId, job.campaignId);
  if (!existing) return "not_running";
  const found = await store.inboxes.findWithConfig(existing.inboxId);
  if (!found) return "not_running";
  const provider = found.inbox.provider;
  if (existing.status === "scheduled") {
    if (existing.scheduleAt && existing.scheduleAt.getTime() > now.getTime()) {
      await scheduleDispatch(store, existing, provider, existing.scheduleAt.getTime() - now.getTime());
      return "not_running";
    }
    if (!(await beginScheduledCampaign(deps, existing))) return "not_running";
  }
  if (provider === "whatsapp_web" && !deps.runsSession?.(existing.inboxId)) {
    // Only the session's owner sends through it: hand the work to its queue.
    if (existing.status === "running") await scheduleDispatch(store, existing, provider);
    return existing.status === "running" ? "routed" : "not_running";
  }
  const campaign = await store.campaigns.takeLease(existing.id, new Date(now.getTime() + settings.leaseMs), now);
  if (!campaign) {
    const current = await store.campaigns.findById(job.workspaceId, job.campaignId);
    if (current?.status !== "running") return "not_running";
    // Another dispatcher holds it: come back once its lease ends, in case it died.
    const until = await store.campaigns.leaseUntil(current.id);
    await scheduleDispatch(store, current, provider, Math.max(100, (until?.getTime() ?? now.getTime()) - now.getTime() + 100));
    return "busy";
  }
  let handOver: { delayMs: number } | null = null;
  try {
    await store.campaigns.failInterrupted(campaign.id, now);
    const outcome = await sendUntilDone(deps, settings, campaign, found, now);
    if (outcome.kind === "stopped") {
      // Cancelled while sending: the claims this run put back are skipped like the rest.
      const now = await store.campaigns.findById(campaign.workspaceId, campaign.id);
      if (now?.status === "cancelled") await store.campaigns.skipPending(campaign.id, "cancelled", clock.now());
    }
    if (outcome.kind === "continue") handOver = { delayMs: 0 };
    if (outcome.kind === "wait") handOver = { delayMs: outcome.delayMs };
    return outcome.kind === "continue" ? "continued" : outcome.kind === "wait" ? "waiting" : outcome.kind;
  } finally {
    await store.transaction(async (repositories) => {
      await repositories.campaigns.releaseLease(campaign.id);
      if (handOver) await scheduleDispatch(repositories, campaign, provider, handOver.delayMs);
    });
    await deps.events.publish([{ type: "campaign.changed", workspaceId: campaign.workspaceId, campaignId: campaign.id }]);
  }
}

type LoopOutcome = { kind: "continue" } | { kind: "wait"; delayMs: number } | { kind: "stopped" } | { kind: "completed" };

async function sendUntilDone(
  deps: DispatchDependencies,
  settings: DispatchSettings,
  campaign: Campaign,
  found: NonNullable<Awaited<ReturnType<Store["inboxes"]["findWithConfig"]>>>,
  leaseTakenAt: Date,
): Promise<LoopOutcome> {
  const { store, clock } = deps;
  const sleep = deps.sleep ?? realSleep;
  const pacing = resolvePacing(found.inbox, campaign.pacing, settings.webGap);
  const waiting = new CampaignWaiting(store, deps.events, campaign);
  const templateBody = await approvedTemplateBody(deps, found, campaign.message);
  const run = new SendRun({
    store,
    events: deps.events,
    clock,
    sleep,
    random: deps.random ?? Math.random,
    provider: deps.providers.forKind(found.inbox.provider),
    inbox: openProviderInbox(found.inbox, found.config, deps.sealer),
    campaign,
    pacing,
    pacer: pacing.kind === "rate" ? new SlotPacer(pacing.perSecond) : null,
    settings,
    waiting,
    pendingOutcomes: deps.outcomeWrites,
    giveWay: deps.giveWay,
  });
  const startedMs = clock.now().getTime();
  if (found.inbox.provider === "whatsapp_web" && found.inbox.status !== "ready") {
    // Not linked or reconnecting: claim nobody, look again in a while.
    const until = new Date(startedMs + SESSION_RETRY_MS);
    await waiting.show({ until, reason: "inbox_unavailable" });
    await waiting.settled();
    return { kind: "wait", delayMs: SESSION_RETRY_MS };
  }
  try {
    run.watch();
    for (;;) {
      if (run.inboxUnavailableUntil) {
        await waiting.show({ until: run.inboxUnavailableUntil, reason: "inbox_unavailable" });
        return { kind: "wait", delayMs: run.inboxUnavailableUntil.getTime() - clock.now().getTime() };
      }
      if (!run.running) return { kind: "stopped" };
      const nowMs = clock.now().getTime();
      if (nowMs - startedMs >= settings.sliceMs) return { kind: "continue" };
      const claimed = await claimBatch(store, campaign, {
        limit: run.batchSize(),
        dailyCap: pacing.dailyCap,
        now: clock.now(),
        templateBody,
        leaseTakenAt,
        inTwoTransactions: settings.claimInTwoTransactions,
      });
      if (claimed.kind === "daily_cap") {
        await waiting.show({ until: claimed.freesAt, reason: "daily_cap" });
        return { kind: "wait", delayMs: Math.max(1000, claimed.freesAt.getTime() - nowMs) };
      }
      const batch = claimed.recipients;
      // Room again: a daily-cap wait is over; a throughput back-off ends at its own time.
      if (waiting.shown?.reason === "throughput") await waiting.clearIfOver(clock.now());
      else await waiting.show(null);
      if (batch.length === 0) {
        const state = await store.campaigns.pendingState(campaign.id);
        if (state.pending === 0) {
          const completed = await store.campaigns.complete(campaign.id, clock.now());
          return completed ? { kind: "completed" } : { kind: "stopped" };
        }
        // Only recipients backing off (131056) are left: wait for the first, watching the status.
        const waitMs = state.nextDueAt ? Math.min(state.nextDueAt.getTime() - clock.now().getTime(), settings.sliceMs) : 50;
        if (!(await run.sleepWhileRunning(waitMs))) return { kind: "stopped" };
        continue;
      }
      await run.send(batch);
      // A zero gap (tests, demos) never sleeps, and on PGlite nothing else waits for I/O: let
      // HTTP requests (a pause) and the status check run between batches.
      await sleep(0);
    }
  } finally {
    await run.finish();
  }
}
