/**
 * Live replies while a campaign runs (issue 10, "done means"): an agent's reply latency (POST to
 * the fake Graph API receiving it) with no campaign sending, next to the same figure while a
 * 10,000-recipient Cloud API template campaign sends at its pacing on the same Parley, and the
 * campaign's sends per second while it sends (mean, and its slowest and busiest whole seconds)
 * against the pacing target. Campaign sends go on the lowest-priority queue, so the goal is a p99
 * within 20 % of the quiet one and sends/s held at the target.
 *
 * The two phases alternate in `rounds` (campaign running, then paused, then resumed…), each with
 * its share of the replies, so a change in the machine's load during the run (other processes,
 * the GC's growth) lands on both figures instead of on one. A p99 rests on a phase's slowest 1 %
 * of replies, so the ratio moves from run to run by chance alone; `p99_ratio_interval_90` says how
 * far, and run.ts's defaults (8 rounds, 1,600 replies a phase) use most of the 10,000 recipients
 * (about 9,000 sends) to narrow it. A quiet phase starts once the paused
 * campaign has sent nothing for half a second, a busy one once the resumed campaign sends at its
 * pace again. One process: Parley and the replying agent on the main thread, the fake Graph API
 * on 127.0.0.1 on a thread of its own (as Meta runs on servers of its own, its work is not on
 * Parley's event loop). The campaign is cancelled once measured. Beside the latencies, each
 * phase reports where a reply could have waited (`phases`): the event loop's delay, GC pauses,
 * and the CPU time of this process and of the local PostgreSQL server; `slow_replies` says how
 * many of the replies slower than the quiet p99 overlapped a long GC pause or an event-loop stall.
 */
import { createHistogram, PerformanceObserver } from "node:perf_hooks";
import { percentiles } from "./agent-to-visitor-latency.ts";
import { processStats } from "./proc-stat.ts";
import { sleep, startCloudBench } from "./cloud-inbox.ts";
import { monotonicMs } from "./fake-graph-api-thread.ts";
import { collectAgentReplies, openConversation, type ReplySamples, type ReplyTimings, summarizeReplies, timeAgentReplies } from "./cloud-send-latency.ts";
import { phones, seedContacts } from "../packages/server/test/campaigns.ts";

export interface CampaignLatencyOptions {
  /** PostgreSQL when given, else in-memory PGlite. */
  databaseUrl?: string | undefined;
  recipients: number;
  /** The campaign's pacing, sends per second (Cloud API default 60). */
  campaignPerSecond: number;
  /** Agent replies per second, and how many in each phase (all rounds together). */
  replyRatePerSecond: number;
  replies: number;
  /** How many times the phases alternate (default 4). */
  rounds?: number;
}

export interface CampaignLatencyResult {
  engine: "pglite" | "postgres";
  recipients: number;
  campaign_per_second_target: number;
  replies_without_campaign: ReplyTimings;
  replies_during_campaign: ReplyTimings;
  /** p99 during the campaign over p99 without it (goal ≤ 1.2). */
  p99_ratio: number;
  /**
   * Where 90 % of that ratio's bootstrap resamples fall (5th and 95th percentile): how far the
   * figure moves by chance alone, since a p99 of a few hundred replies rests on their slowest few.
   */
  p99_ratio_interval_90: [number, number];
  rounds: number;
  /** The campaign's sends while the busy replies were timed: per whole second, and the mean. */
  campaign_sends_per_second: { mean: number; slowest_second: number; busiest_second: number; seconds: number };
  /** Campaign sends the fake received in all (until cancelled). */
  campaign_sends: number;
  /**
   * Where a slower reply waited, in each phase: how late the event loop (Parley's, shared with the
   * replying agent and the fake's messages) ran a 1 ms timer, the garbage collector's pauses, and
   * the CPU time of this process and of the local PostgreSQL server.
   */
  phases: { without_campaign: PhaseFigures; during_campaign: PhaseFigures };
  /**
   * The replies slower than the quiet p99, in each phase, and how many of them were under way
   * during a GC pause of {@link LONG_GC_PAUSE_MS} or more, or during an event-loop stall (a 1 ms
   * timer {@link STALL_MS} or more late). Those may have waited on this process; the others waited
   * on the database, the kernel or the machine.
   */
  slow_replies: { threshold_ms: number; without_campaign: SlowReplies; during_campaign: SlowReplies };
}

/** Replies over a latency threshold, and how many overlapped each kind of wait in this process. */
export interface SlowReplies {
  count: number;
  overlapping_gc_pause: number;
  overlapping_event_loop_stall: number;
}

/** An event-loop stall as {@link SlowReplies} counts it: a 1 ms timer this late or later, ms. */
export const STALL_MS = 10;
/** A GC pause {@link SlowReplies} counts, ms or longer (most scavenges take 1–2 ms). */
export const LONG_GC_PAUSE_MS = 5;

/** What one phase cost, all its rounds together. */
export interface PhaseFigures {
  /** Time between the runs of a 1 ms timer, ms (1 when the event loop is free). */
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  /** GC pauses: their total per second of the phase, and the longest, ms. */
  gc_pause_ms_per_second: number;
  longest_gc_pause_ms: number;
  /** CPU time of this process (Parley, the replying agent, the fake Graph API's thread), ms per second. */
  process_cpu_ms_per_second: number;
  /**
   * CPU time of this machine's `postgres` processes, ms per second (those that ended during a
   * span, such as autovacuum workers, are missed); null on PGlite or where /proc cannot tell.
   */
  database_cpu_ms_per_second: number | null;
}

/** Runs the benchmark on one engine. Throws when a step is refused. */
export async function measureCampaignLiveLatency(options: CampaignLatencyOptions): Promise<CampaignLatencyResult> {
  const bench = await startCloudBench({ databaseUrl: options.databaseUrl });
  try {
    const path = await openConversation(bench);
    const rounds = Math.max(1, options.rounds ?? 4);
    const perPhase = { ratePerSecond: options.replyRatePerSecond, messages: Math.ceil(options.replies / rounds) };
    // Warm the path (JIT, first statements) before any timed phase.
    await timeAgentReplies(bench, path, { ratePerSecond: options.replyRatePerSecond, messages: 50, label: "warm" });

    const ws = `/api/v1/workspaces/${bench.workspaceId}`;
    await seedContacts(bench.parley.database.db, bench.workspaceId, phones(options.recipients), "bench-promo");
    const campaignSends: number[] = [];
    const stopObserving = bench.fake.onRequest((request) => {
      if ((request.json as { type?: string } | null)?.type === "template") campaignSends.push(request.atMs);
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
    const campaign = `${ws}/campaigns/${created.body.id}`;
    const command = async (action: "start" | "pause" | "resume" | "cancel") => {
      const answer = await bench.post(`${campaign}/${action}`, {});
      if (answer.status !== 200) throw new Error(`campaign ${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    };
    /** Waits until the campaign has sent `count` more (at its pace again); throws after a minute. */
    const sendingAgain = async (count: number) => {
      const target = campaignSends.length + count;
      const until = monotonicMs() + 60_000;
      while (campaignSends.length < target) {
        if (monotonicMs() > until) throw new Error("the campaign did not send at its pace within a minute");
        await sleep(20);
      }
    };
    /** Waits until the paused campaign has sent nothing for 500 ms. */
    const silent = async () => {
      while (monotonicMs() - (campaignSends.at(-1) ?? 0) < 500) await sleep(50);
    };

    await command("start");
    // Timed once the campaign is sending at its pace, not while it materialises its recipients.
    await sendingAgain(options.campaignPerSecond * 2);
    const quiet: ReplySamples[] = [];
    const busy: ReplySamples[] = [];
    const measurePostgres = bench.engine === "postgres";
    const loop = { quiet: new PhaseProbe(measurePostgres), busy: new PhaseProbe(measurePostgres) };
    const busyWindows: Array<{ from: number; to: number }> = [];
    for (let round = 0; round < rounds; round++) {
      if (round > 0) {
        await command("resume");
        await sendingAgain(options.campaignPerSecond);
      }
      const from = monotonicMs();
      busy.push(await loop.busy.during(() => collectAgentReplies(bench, path, { ...perPhase, label: `busy-${round}` })));
      busyWindows.push({ from, to: monotonicMs() });
      if (monotonicMs() - (campaignSends.at(-1) ?? 0) > 1000) {
        throw new Error(`the campaign stopped sending during busy round ${round}: give it more recipients or the run fewer rounds`);
      }
      await command("pause");
      await silent();
      quiet.push(await loop.quiet.during(() => collectAgentReplies(bench, path, { ...perPhase, label: `quiet-${round}` })));
    }
    await command("cancel");
    stopObserving();

    const perSecond = busyWindows.flatMap(({ from, to }) =>
      Array.from({ length: Math.max(1, Math.floor((to - from) / 1000)) }, (_, second) => {
        const start = from + second * 1000;
        return campaignSends.filter((at) => at >= start && at < start + 1000).length;
      }),
    );
    const quietTimings = summarizeReplies(concatenate(quiet));
    const busyTimings = summarizeReplies(concatenate(busy));
    const quietP99 = quietTimings.post_to_provider_call_ms.p99;
    return {
      engine: bench.engine,
      recipients: options.recipients,
      campaign_per_second_target: options.campaignPerSecond,
      rounds,
      replies_without_campaign: quietTimings,
      replies_during_campaign: busyTimings,
      p99_ratio: quietP99 > 0 ? Math.round((busyTimings.post_to_provider_call_ms.p99 / quietP99) * 100) / 100 : 0,
      p99_ratio_interval_90: p99RatioInterval(concatenate(busy).callLatencies, concatenate(quiet).callLatencies),
      campaign_sends_per_second: {
        mean: Math.round((perSecond.reduce((total, count) => total + count, 0) / perSecond.length) * 10) / 10,
        slowest_second: Math.min(...perSecond),
        busiest_second: Math.max(...perSecond),
        seconds: perSecond.length,
      },
      campaign_sends: campaignSends.length,
      phases: { without_campaign: loop.quiet.figures(), during_campaign: loop.busy.figures() },
      slow_replies: {
        threshold_ms: quietP99,
        without_campaign: loop.quiet.slowReplies(concatenate(quiet).callSpans, quietP99),
        during_campaign: loop.busy.slowReplies(concatenate(busy).callSpans, quietP99),
      },
    };
  } finally {
    await bench.close();
  }
}

/**
 * The 5th and 95th percentile (2 decimals) of p99(busy) / p99(quiet) over `resamples` bootstrap
 * resamples (each set drawn with replacement at its own size): the range the ratio takes from
 * sampling alone, whatever the code does.
 */
export function p99RatioInterval(busy: number[], quiet: number[], resamples = 1000): [number, number] {
  const resampledP99 = (samples: number[]) =>
    percentiles(Array.from({ length: samples.length }, () => samples[Math.floor(Math.random() * samples.length)]!)).p99;
  const ratios = Array.from({ length: resamples }, () => resampledP99(busy) / resampledP99(quiet)).sort((a, b) => a - b);
  const at = (share: number) => Math.round((ratios[Math.floor(share * (ratios.length - 1))] ?? Number.NaN) * 100) / 100;
  return [at(0.05), at(0.95)];
}

/** What the spans of one phase cost (all its rounds together): event-loop delay, GC pauses, CPU. */
class PhaseProbe {
  private readonly delay = createHistogram();
  private readonly pauses: number[] = [];
  /** GC pauses and event-loop stalls as [from, to], ms on monotonicMs's clock. */
  private readonly gcSpans: Array<[number, number]> = [];
  private readonly stallSpans: Array<[number, number]> = [];
  private spentMs = 0;
  private processCpuUs = 0;
  private databaseCpuMs: number | null = 0;

  /** @param measurePostgres whether to read the `postgres` processes' CPU time from /proc. */
  constructor(private readonly measurePostgres: boolean) {}

  async during<T>(work: () => Promise<T>): Promise<T> {
    // performance.now() and monotonicMs() are both monotonic; their origins differ by this much.
    const toMonotonic = monotonicMs() - performance.now();
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.pauses.push(entry.duration);
        if (entry.duration >= LONG_GC_PAUSE_MS) this.gcSpans.push([entry.startTime + toMonotonic, entry.startTime + entry.duration + toMonotonic]);
      }
    });
    observer.observe({ entryTypes: ["gc"] });
    // A 1 ms timer, re-armed as it runs: each run records how long after the last it came.
    // (monitorEventLoopDelay cannot be added to another histogram, nor paused between spans.)
    let last = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      const now = performance.now();
      this.delay.record(Math.max(1, Math.round((now - last) * 1e6)));
      if (now - last >= STALL_MS) this.stallSpans.push([last + toMonotonic, now + toMonotonic]);
      last = now;
      timer = setTimeout(tick, 1);
    };
    timer = setTimeout(tick, 1);
    const start = performance.now();
    const cpu = process.cpuUsage();
    const database = this.measurePostgres ? postgresCpuTicks() : null;
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      observer.disconnect();
      this.spentMs += performance.now() - start;
      const used = process.cpuUsage(cpu);
      this.processCpuUs += used.user + used.system;
      const databaseAfter = database === null ? null : postgresCpuTicks();
      this.databaseCpuMs =
        this.databaseCpuMs === null || database === null || databaseAfter === null ? null : this.databaseCpuMs + ticksBetween(database, databaseAfter) * 10;
    }
  }

  /** Of the replies (spans on monotonicMs's clock) slower than `thresholdMs`, how many overlapped a GC pause or a stall of this phase. */
  slowReplies(spans: Array<[number, number]>, thresholdMs: number): SlowReplies {
    const slow = spans.filter(([from, to]) => to - from > thresholdMs);
    const overlapping = (waits: Array<[number, number]>) => slow.filter(([from, to]) => waits.some(([start, end]) => start < to && end > from)).length;
    return { count: slow.length, overlapping_gc_pause: overlapping(this.gcSpans), overlapping_event_loop_stall: overlapping(this.stallSpans) };
  }

  figures(): PhaseFigures {
    const round2 = (value: number) => Math.round(value * 100) / 100;
    const ms = (ns: number) => round2(ns / 1e6);
    const perSecond = (totalMs: number) => (this.spentMs > 0 ? round2(totalMs / (this.spentMs / 1000)) : 0);
    return {
      event_loop_delay_ms: { p50: ms(this.delay.percentile(50)), p99: ms(this.delay.percentile(99)), max: ms(this.delay.max) },
      gc_pause_ms_per_second: perSecond(this.pauses.reduce((sum, pause) => sum + pause, 0)),
      longest_gc_pause_ms: round2(Math.max(0, ...this.pauses)),
      process_cpu_ms_per_second: perSecond(this.processCpuUs / 1000),
      database_cpu_ms_per_second: this.measurePostgres && this.databaseCpuMs !== null ? perSecond(this.databaseCpuMs) : null,
    };
  }
}

/**
 * CPU time (user + system) of each process named `postgres` on this machine, by pid, in clock
 * ticks of 10 ms, from /proc/{pid}/stat (fields 14 and 15); null where /proc is missing. The
 * benchmark's database runs on 127.0.0.1, so those are its server's processes.
 */
function postgresCpuTicks(): Map<number, number> | null {
  const stats = processStats();
  if (stats === null) return null;
  const ticks = new Map<number, number>();
  for (const [pid, { command, fields }] of stats) {
    if (command === "postgres") ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/**
 * Ticks spent between two readings by the processes alive at the second (those started meanwhile
 * count from 0). A process that ended meanwhile (an autovacuum worker) is missed: a lower bound.
 */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ticks] of after) spent += Math.max(0, ticks - (before.get(pid) ?? 0));
  return spent;
}

function concatenate(runs: ReplySamples[]): ReplySamples {
  return {
    accepted: runs.reduce((total, run) => total + run.accepted, 0),
    callLatencies: runs.flatMap((run) => run.callLatencies),
    callSpans: runs.flatMap((run) => run.callSpans),
    postLatencies: runs.flatMap((run) => run.postLatencies),
  };
}
