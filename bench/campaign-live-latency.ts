/**
 * Live replies while a campaign runs (issue 10, "done means"): an agent's reply latency (POST to
 * the fake Graph API receiving it) with no campaign, then the same figure while a 10,000-recipient
 * Cloud API template campaign sends at its pacing on the same Parley, and the campaign's sends
 * per second over that window (mean, and its slowest and busiest whole seconds) against the
 * pacing target. Campaign sends go on the lowest-priority queue, so the goal is a p99 within 20 %
 * of the quiet one and sends/s held at the target. One process, the fake on 127.0.0.1; the
 * campaign is cancelled once measured.
 */
import { sleep, startCloudBench } from "./cloud-inbox.ts";
import { observeRequests, openConversation, type ReplyTimings, timeAgentReplies } from "./cloud-send-latency.ts";
import { phones, seedContacts } from "../packages/server/test/campaigns.ts";

export interface CampaignLatencyOptions {
  /** PostgreSQL when given, else in-memory PGlite. */
  databaseUrl?: string | undefined;
  recipients: number;
  /** The campaign's pacing, sends per second (Cloud API default 60). */
  campaignPerSecond: number;
  /** Agent replies per second, and how many, in each phase. */
  replyRatePerSecond: number;
  replies: number;
}

export interface CampaignLatencyResult {
  engine: "pglite" | "postgres";
  recipients: number;
  campaign_per_second_target: number;
  replies_without_campaign: ReplyTimings;
  replies_during_campaign: ReplyTimings;
  /** p99 during the campaign over p99 without it (goal ≤ 1.2). */
  p99_ratio: number;
  /** The campaign's sends while the replies were timed: per whole second, and the mean. */
  campaign_sends_per_second: { mean: number; slowest_second: number; busiest_second: number; seconds: number };
  /** Campaign sends the fake received in all (until cancelled). */
  campaign_sends: number;
}

/** Runs the benchmark on one engine. Throws when a step is refused. */
export async function measureCampaignLiveLatency(options: CampaignLatencyOptions): Promise<CampaignLatencyResult> {
  const bench = await startCloudBench({ databaseUrl: options.databaseUrl });
  try {
    const path = await openConversation(bench);
    const replies = { ratePerSecond: options.replyRatePerSecond, messages: options.replies };
    // Warm the path (JIT, first statements) before either timed phase.
    await timeAgentReplies(bench, path, { ratePerSecond: options.replyRatePerSecond, messages: 50, label: "warm" });
    const quiet = await timeAgentReplies(bench, path, { ...replies, label: "quiet" });

    const ws = `/api/v1/workspaces/${bench.workspaceId}`;
    await seedContacts(bench.parley.database.db, bench.workspaceId, phones(options.recipients), "bench-promo");
    const campaignSends: number[] = [];
    const stopObserving = observeRequests(bench.fake, (record, now) => {
      if ((record.json as { type?: string } | null)?.type === "template") campaignSends.push(now);
    });
    const inbox = (await bench.get(`${ws}/inboxes`)).body.data[0];
    const created = await bench.post(`${ws}/campaigns`, {
      name: "Bench promo",
      inbox_id: inbox.id,
      message: { template: { name: "bench_promo", language: "id", variables: ["{{first_name|Kak}}"] } },
      audience: { labels: ["bench-promo"] },
      pacing: { per_second: options.campaignPerSecond, daily_cap: options.recipients * 2 },
    });
    if (created.status !== 201) throw new Error(`campaign creation answered ${created.status}: ${JSON.stringify(created.body)}`);
    const started = await bench.post(`${ws}/campaigns/${created.body.id}/start`, {});
    if (started.status !== 200) throw new Error(`campaign start answered ${started.status}: ${JSON.stringify(started.body)}`);
    // Timed once the campaign is sending at its pace, not while it materialises its recipients.
    const rampUntil = performance.now() + 60_000;
    while (campaignSends.length < options.campaignPerSecond * 2 && performance.now() < rampUntil) await sleep(50);
    if (campaignSends.length === 0) throw new Error("the campaign sent nothing within a minute");
    const windowStart = performance.now();
    const busy = await timeAgentReplies(bench, path, { ...replies, label: "busy" });
    const windowEnd = performance.now();
    await bench.post(`${ws}/campaigns/${created.body.id}/cancel`, {});
    stopObserving();

    const seconds = Math.max(1, Math.floor((windowEnd - windowStart) / 1000));
    const perSecond = Array.from({ length: seconds }, (_, second) => {
      const from = windowStart + second * 1000;
      return campaignSends.filter((at) => at >= from && at < from + 1000).length;
    });
    const quietP99 = quiet.post_to_provider_call_ms.p99;
    return {
      engine: bench.engine,
      recipients: options.recipients,
      campaign_per_second_target: options.campaignPerSecond,
      replies_without_campaign: quiet,
      replies_during_campaign: busy,
      p99_ratio: quietP99 > 0 ? Math.round((busy.post_to_provider_call_ms.p99 / quietP99) * 100) / 100 : 0,
      campaign_sends_per_second: {
        mean: Math.round((perSecond.reduce((total, count) => total + count, 0) / seconds) * 10) / 10,
        slowest_second: Math.min(...perSecond),
        busiest_second: Math.max(...perSecond),
        seconds,
      },
      campaign_sends: campaignSends.length,
    };
  } finally {
    await bench.close();
  }
}
