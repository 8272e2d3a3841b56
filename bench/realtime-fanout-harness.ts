/**
 * The plumbing of the realtime_fanout benchmark (realtime-fanout.ts): a fan-out server in a child
 * process of its own (realtime-fanout-server.ts) and its IPC, the subscribers in worker threads
 * (realtime-fanout-clients.worker.ts), the publisher's signed or bare POST, and the event data
 * stamped with the wall clock. Loopback only.
 */
import { fileURLToPath } from "node:url";
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { type Agent, request } from "node:http";
import { Worker } from "node:worker_threads";
import { signHttpApiRequest } from "@parley/protocol/signing";
import type { ClientTarget, WorkerReply, WorkerRequest } from "./realtime-fanout-clients.worker.ts";
import type { PublishBody, ServerReady, ServerStats } from "./realtime-fanout-server.ts";

/** `parley`, `parley_realtime_only`, `ws` (the raw limit) or `socketio`. */
export type ServerKind = ClientTarget["kind"];

/** The one channel every subscriber joins. */
export const CHANNEL = "fanout-bench";
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const wallClockMs = () => performance.timeOrigin + performance.now();

/** A server child process and its IPC. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ServerReady,
  ) {}

  /** @param databaseUrl Parley's PostgreSQL database; PGlite without it. */
  static async start(kind: ServerKind, databaseUrl: string | undefined): Promise<ServerProcess> {
    const child = fork(new URL("./realtime-fanout-server.ts", import.meta.url), [kind, databaseUrl ?? ""], {
      // BENCH_FANOUT_SERVER_ARGS adds node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
      // Compiled as the production bundle is, not as tsx compiles it (production-ts-loader.mjs).
      execArgv: [
        "--import",
        fileURLToPath(new URL("./production-ts-loader.mjs", import.meta.url)),
        "--expose-gc",
        ...(process.env["BENCH_FANOUT_SERVER_ARGS"] ?? "").split(" ").filter(Boolean),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once("message", (message: ServerReady) => resolve(message));
      child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
    });
    return new ServerProcess(child, ready);
  }

  stats(gc: boolean): Promise<ServerStats> {
    return new Promise((resolve) => {
      this.child.once("message", (message: ServerStats) => resolve(message));
      this.child.send({ type: "stats", gc });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" });
    await Promise.race([exited, sleep(10_000)]);
    this.child.kill("SIGKILL");
  }
}

/** The subscriber threads of one server. */
export class Clients {
  private constructor(private readonly workers: Worker[]) {}

  static start(target: ClientTarget, threads: number): Clients {
    return new Clients(
      Array.from({ length: threads }, () => new Worker(new URL("./realtime-fanout-clients.worker.mjs", import.meta.url), { workerData: target })),
    );
  }

  private ask(worker: Worker, message: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      worker.once("message", (reply: WorkerReply) => (reply.type === "error" ? reject(new Error(reply.message)) : resolve(reply)));
      worker.postMessage(message);
    });
  }

  async connect(count: number): Promise<void> {
    const share = Math.ceil(count / this.workers.length);
    await Promise.all(this.workers.map((worker, i) => this.ask(worker, { type: "connect", count: Math.min(share, count - i * share), concurrency: 50 })));
  }

  /** Counters since the last collect; `record` turns latency recording on for the next window. */
  async collect(record: boolean): Promise<{ deliveries: number; lastArrivalMs: number; latencies: number[] }> {
    const replies = await Promise.all(this.workers.map((worker) => this.ask(worker, { type: "collect", record })));
    const collected = { deliveries: 0, lastArrivalMs: 0, latencies: [] as number[] };
    for (const reply of replies) {
      if (reply.type !== "collected") continue;
      collected.deliveries += reply.deliveries;
      collected.lastArrivalMs = Math.max(collected.lastArrivalMs, reply.lastArrivalMs);
      for (const latency of reply.latencies) collected.latencies.push(latency);
    }
    return collected;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => this.ask(worker, { type: "close" })));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** POSTs one event to a server's publish endpoint; resolves with the response. */
export function publisher(kind: ServerKind, ready: ServerReady, agent: Agent): (data: string) => Promise<void> {
  return (data) => {
    let path = "/publish";
    let body: string;
    if (kind === "parley") {
      const app = ready.app!;
      body = JSON.stringify({ name: "bench", channel: CHANNEL, data });
      const eventsPath = `/apps/${app.id}/events`;
      path = `${eventsPath}?${new URLSearchParams(signHttpApiRequest(app, { method: "POST", path: eventsPath, body })).toString()}`;
    } else {
      body = JSON.stringify({ channel: CHANNEL, event: "bench", data } satisfies PublishBody);
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: "127.0.0.1",
          port: ready.port,
          path,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`publish answered ${response.statusCode}`))));
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  };
}

/** A `bytes`-long JSON data string stamped with the wall clock: `{"t":…,"pad":"xxx…"}`. */
export function eventData(bytes: number): string {
  const head = `{"t":${wallClockMs().toFixed(3)},"pad":"`;
  return `${head}${"x".repeat(Math.max(0, bytes - head.length - 2))}"}`;
}

export const cpuMicros = (before: ServerStats, after: ServerStats) => after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;

/** Waits until `expected` deliveries arrived (or `timeoutMs`), summing the windows collected. */
export async function drain(clients: Clients, expected: number, timeoutMs: number, record: boolean) {
  const total = { deliveries: 0, lastArrivalMs: 0, latencies: [] as number[] };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const window = await clients.collect(record);
    total.deliveries += window.deliveries;
    total.lastArrivalMs = Math.max(total.lastArrivalMs, window.lastArrivalMs);
    for (const latency of window.latencies) total.latencies.push(latency);
    if (total.deliveries >= expected || Date.now() > deadline) return total;
    await sleep(100);
  }
}
