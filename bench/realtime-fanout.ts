/**
 * Fan-out at the limit (issue 8, part 7): 200-byte events to the subscribers of one channel,
 * published over HTTP, on Parley (its Pusher HTTP API), on the raw limit (a bare `ws` server that
 * frames each event once and writes the same bytes to every socket) and on Socket.IO 4, each
 * measured the same way in the same run. A fourth contender, Parley's real-time server alone
 * behind the raw server's publish route, tells what the fan-out costs from what the rest of the
 * node (its HTTP app, its database, the garbage collection of its larger heap) adds:
 *
 * - latency p50/p99 from just before the POST to each subscriber's receipt, at a fixed rate
 *   (open loop);
 * - deliveries per second at saturation: a burst published as fast as the server answers
 *   (`concurrency` POSTs in flight), from the first POST to the last receipt;
 * - the server's CPU time per delivery (user + system of the server process only) in both phases,
 *   all of it: what it spends while idle (Parley's job queue polls its database) is reported
 *   beside it. At the fixed rate a slice's figure moves by ±10 % with whatever else the machine
 *   does, so the ratios pool every round's CPU and deliveries, and `…_by_round` gives the spread
 *   of each round's ratio to the raw server's slice of the same round;
 * - the server's memory per idle connection: RSS (after full GCs) with `idleConnections`
 *   subscribed connections minus RSS before them, in a fresh server process.
 *
 * Each server runs in a child process (realtime-fanout-server.ts), the subscribers in worker
 * threads (realtime-fanout-clients.worker.ts), the publisher here (realtime-fanout-harness.ts). Everything shares the
 * machine: the clients' work competes with the server's for the cores, equally for all three,
 * and the three servers take turns in `rounds` slices so that other load on the machine weighs
 * on each alike. The latency and saturation figures still move with that load (report the load
 * average beside them); CPU time per delivery moves least. Loopback only; every phase is
 * bounded in count and time.
 */
import { Agent } from "node:http";
import { percentiles } from "./agent-to-visitor-latency.ts";
import type { Percentiles } from "./agent-to-visitor-latency.ts";
import { CHANNEL, Clients, cpuMicros, drain, eventData, publisher, ServerProcess, type ServerKind, sleep, wallClockMs } from "./realtime-fanout-harness.ts";

export type { ServerKind } from "./realtime-fanout-harness.ts";

/** Sizes of one run. */
export interface FanoutBenchOptions {
  /** Parley's PostgreSQL database; Parley runs on PGlite without it. */
  databaseUrl?: string | undefined;
  subscribers: number;
  ratePerSecond: number;
  /** Events timed at `ratePerSecond` (after `warmUpEvents` untimed ones), over all rounds. */
  events: number;
  /** Turns the servers take (see measureBroadcasts). */
  rounds: number;
  warmUpEvents: number;
  /** Events of the saturation bursts, over all rounds. */
  burstEvents: number;
  /** POSTs in flight during the burst. */
  concurrency: number;
  idleConnections: number;
  /** Client threads sharing the connections. */
  clientThreads: number;
  /** Bytes of each event's data string. */
  eventBytes: number;
}

/** Figures of one server. */
export interface ServerFigures {
  latency_ms: Percentiles;
  latency_deliveries: number;
  latency_cpu_us_per_delivery: number;
  saturation_deliveries_per_second: number;
  saturation_deliveries: number;
  saturation_cpu_us_per_delivery: number;
  idle_cpu_ms_per_second: number;
  saturation_cpu_us_per_delivery_beyond_idle: number;
  idle_connections: number;
  idle_bytes_per_connection: number;
  idle_heap_bytes_per_connection: number;
}

/** ms over which a server's idle CPU use is measured. */
const IDLE_WINDOW_MS = 3_000;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One server under test with its subscribers and publisher, and what it measured so far. */
class Contender {
  readonly latencies: number[] = [];
  latencyDeliveries = 0;
  latencyCpuMicros = 0;
  /** CPU µs per delivery of each latency slice, in round order (to pair them with a peer's). */
  readonly sliceCpuMicrosPerDelivery: number[] = [];
  burstDeliveries = 0;
  burstCpuMicros = 0;
  burstMs = 0;
  /** ms between the CPU readings around the bursts. */
  burstWallMs = 0;
  /** CPU the server spends with nothing to deliver (timers, a database's polling), ms per second. */
  idleCpuMsPerSecond = 0;

  private constructor(
    readonly kind: ServerKind,
    private readonly server: ServerProcess,
    private readonly clients: Clients,
    private readonly agent: Agent,
    private readonly publish: (data: string) => Promise<void>,
    private readonly options: FanoutBenchOptions,
  ) {}

  static async start(kind: ServerKind, options: FanoutBenchOptions): Promise<Contender> {
    const server = await ServerProcess.start(kind, options.databaseUrl);
    const clients = Clients.start(
      { kind, port: server.ready.port, channel: CHANNEL, ...(server.ready.app ? { appKey: server.ready.app.key } : {}) },
      options.clientThreads,
    );
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const contender = new Contender(kind, server, clients, agent, publisher(kind, server.ready, agent), options);
    await clients.connect(options.subscribers);
    return contender;
  }

  /** Publishes `count` events at the fixed rate (open loop); resolves once every POST was answered. */
  private async atRate(count: number): Promise<void> {
    const intervalMs = 1000 / this.options.ratePerSecond;
    const sends: Array<Promise<void>> = [];
    const begin = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = begin + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(this.publish(eventData(this.options.eventBytes)));
    }
    await Promise.all(sends);
  }

  /** Untimed events, so JIT, buffers and pools are warm; then the server's CPU use while idle. */
  async warmUp(): Promise<void> {
    await this.atRate(this.options.warmUpEvents);
    await drain(this.clients, this.options.warmUpEvents * this.options.subscribers, 10_000, false);
    const before = await this.server.stats(false);
    const start = performance.now();
    await sleep(IDLE_WINDOW_MS);
    const after = await this.server.stats(false);
    this.idleCpuMsPerSecond = cpuMicros(before, after) / (performance.now() - start);
  }

  /** `count` events at the fixed rate, their latencies and the server's CPU time. */
  async latencySlice(count: number): Promise<void> {
    await this.clients.collect(true);
    const before = await this.server.stats(false);
    await this.atRate(count);
    const timed = await drain(this.clients, count * this.options.subscribers, 15_000, true);
    const after = await this.server.stats(false);
    await this.clients.collect(false);
    for (const latency of timed.latencies) this.latencies.push(latency);
    this.latencyDeliveries += timed.deliveries;
    this.latencyCpuMicros += cpuMicros(before, after);
    this.sliceCpuMicrosPerDelivery.push(cpuMicros(before, after) / Math.max(1, timed.deliveries));
  }

  /** `count` events as fast as the server answers (`concurrency` POSTs in flight), until all are received. */
  async burstSlice(count: number): Promise<void> {
    await this.clients.collect(false);
    const before = await this.server.stats(false);
    const measuredFrom = performance.now();
    const start = wallClockMs();
    let next = 0;
    await Promise.all(
      Array.from({ length: this.options.concurrency }, async () => {
        while (next < count) {
          next++;
          await this.publish(eventData(this.options.eventBytes));
        }
      }),
    );
    const burst = await drain(this.clients, count * this.options.subscribers, 60_000, false);
    const after = await this.server.stats(false);
    this.burstWallMs += performance.now() - measuredFrom;
    this.burstDeliveries += burst.deliveries;
    this.burstMs += burst.lastArrivalMs - start;
    this.burstCpuMicros += cpuMicros(before, after);
  }

  figures() {
    return {
      latency_ms: percentiles(this.latencies),
      latency_deliveries: this.latencyDeliveries,
      latency_cpu_us_per_delivery: round(this.latencyCpuMicros / this.latencyDeliveries, 3),
      saturation_deliveries_per_second: Math.round(this.burstDeliveries / (this.burstMs / 1000)),
      saturation_deliveries: this.burstDeliveries,
      saturation_cpu_us_per_delivery: round(this.burstCpuMicros / this.burstDeliveries, 3),
      idle_cpu_ms_per_second: round(this.idleCpuMsPerSecond),
      // What the bursts cost beyond what the server spends anyway while idle.
      saturation_cpu_us_per_delivery_beyond_idle: round((this.burstCpuMicros - this.idleCpuMsPerSecond * this.burstWallMs) / this.burstDeliveries, 3),
      sliceCpuMicrosPerDelivery: this.sliceCpuMicrosPerDelivery,
    };
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await this.clients.close();
    await this.server.stop();
  }
}

/**
 * The broadcast figures of every server. The servers run side by side and take turns, a slice of
 * events each per round, so that whatever else loads the machine meanwhile weighs on all of them.
 */
async function measureBroadcasts(kinds: readonly ServerKind[], options: FanoutBenchOptions) {
  const contenders: Contender[] = [];
  try {
    for (const kind of kinds) contenders.push(await Contender.start(kind, options));
    for (const contender of contenders) await contender.warmUp();
    for (let round = 0; round < options.rounds; round++) {
      for (const contender of contenders) await contender.latencySlice(Math.ceil(options.events / options.rounds));
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const contender of contenders) await contender.burstSlice(Math.ceil(options.burstEvents / options.rounds));
    }
    return new Map(contenders.map((contender) => [contender.kind, contender.figures()]));
  } finally {
    for (const contender of contenders) await contender.stop();
  }
}

async function measureIdleMemory(kind: ServerKind, options: FanoutBenchOptions) {
  const server = await ServerProcess.start(kind, options.databaseUrl);
  const clients = Clients.start(
    { kind, port: server.ready.port, channel: CHANNEL, ...(server.ready.app ? { appKey: server.ready.app.key } : {}) },
    options.clientThreads,
  );
  try {
    // One connection first, so what a server allocates on its first connection is not counted.
    await clients.connect(1);
    await sleep(500);
    const before = await server.stats(true);
    await clients.connect(options.idleConnections);
    await sleep(1_000);
    const after = await server.stats(true);
    return {
      idle_connections: options.idleConnections,
      idle_bytes_per_connection: Math.round((after.memory.rss - before.memory.rss) / options.idleConnections),
      idle_heap_bytes_per_connection: Math.round(
        (after.memory.heapUsed + after.memory.external - before.memory.heapUsed - before.memory.external) / options.idleConnections,
      ),
    };
  } finally {
    await clients.close();
    await server.stop();
  }
}

/** The ratio of each round's figure to the peer's in the same round. */
const pairedRatios = (figures: number[], peers: number[]) => figures.map((figure, i) => figure / (peers[i] ?? Number.NaN));

/** Lowest, median and highest of `values` (2 decimals). */
function spread(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0] ?? 0), median: round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: round(sorted.at(-1) ?? 0) };
}

/**
 * Runs the benchmark on the three servers, one after the other; figures and ratios to the raw
 * server. `only` measures a subset (for profiling; the ratios then need the missing peers).
 */
export async function measureRealtimeFanout(
  options: FanoutBenchOptions,
  only: readonly ServerKind[] = ["parley", "parley_realtime_only", "ws", "socketio"],
): Promise<object> {
  const broadcasts = await measureBroadcasts(only, options);
  const figures = {} as Record<ServerKind, ServerFigures>;
  for (const kind of only) {
    const { sliceCpuMicrosPerDelivery: _slices, ...broadcast } = broadcasts.get(kind)!;
    figures[kind] = { ...broadcast, ...(await measureIdleMemory(kind, options)) };
  }
  const slices = (kind: ServerKind) => broadcasts.get(kind)?.sliceCpuMicrosPerDelivery ?? [];
  const { parley, parley_realtime_only: realtimeOnly, ws, socketio } = figures;
  if (parley === undefined || realtimeOnly === undefined || ws === undefined || socketio === undefined) return { subscribers: options.subscribers, ...figures };
  return {
    engine: options.databaseUrl ? "postgres" : "pglite",
    subscribers: options.subscribers,
    rate_per_second: options.ratePerSecond,
    events: options.events,
    burst_events: options.burstEvents,
    rounds: options.rounds,
    event_bytes: options.eventBytes,
    client_threads: options.clientThreads,
    parley,
    parley_realtime_only: realtimeOnly,
    raw_ws: ws,
    socket_io: socketio,
    ratios: {
      p50_vs_raw: round(parley.latency_ms.p50 / ws.latency_ms.p50),
      p99_vs_raw: round(parley.latency_ms.p99 / ws.latency_ms.p99),
      p99_vs_socket_io: round(parley.latency_ms.p99 / socketio.latency_ms.p99),
      cpu_per_delivery_vs_raw: round(parley.saturation_cpu_us_per_delivery / ws.saturation_cpu_us_per_delivery),
      cpu_per_delivery_beyond_idle_vs_raw: round(parley.saturation_cpu_us_per_delivery_beyond_idle / ws.saturation_cpu_us_per_delivery_beyond_idle),
      latency_cpu_per_delivery_vs_raw: round(parley.latency_cpu_us_per_delivery / ws.latency_cpu_us_per_delivery),
      latency_cpu_per_delivery_vs_raw_by_round: spread(pairedRatios(slices("parley"), slices("ws"))),
      deliveries_per_second_vs_raw: round(parley.saturation_deliveries_per_second / ws.saturation_deliveries_per_second),
      idle_memory_vs_raw: round(parley.idle_bytes_per_connection / ws.idle_bytes_per_connection),
      idle_memory_vs_socket_io: round(parley.idle_bytes_per_connection / socketio.idle_bytes_per_connection),
      realtime_only_p99_vs_raw: round(realtimeOnly.latency_ms.p99 / ws.latency_ms.p99),
      realtime_only_cpu_per_delivery_vs_raw: round(realtimeOnly.saturation_cpu_us_per_delivery / ws.saturation_cpu_us_per_delivery),
      realtime_only_latency_cpu_per_delivery_vs_raw: round(realtimeOnly.latency_cpu_us_per_delivery / ws.latency_cpu_us_per_delivery),
      realtime_only_latency_cpu_per_delivery_vs_raw_by_round: spread(pairedRatios(slices("parley_realtime_only"), slices("ws"))),
    },
    goals: { p99_vs_raw: 1.3, p99_vs_socket_io: 0.5, cpu_per_delivery_vs_raw: 1.1, idle_memory_vs_raw: 1.5, idle_memory_vs_socket_io: 1 },
  };
}
