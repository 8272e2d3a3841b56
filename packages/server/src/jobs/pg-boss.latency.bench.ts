/**
 * Latency from the start of a transaction that schedules a `messages.send` job to the moment its
 * handler is called: the job-queue share of the agent's POST → provider call path.
 * `node --import tsx packages/server/src/jobs/pg-boss.latency.bench.ts [samples]` prints JSON
 * figures in ms, on PGlite in memory, or on PostgreSQL when DATABASE_URL is set (it creates its
 * tables there, so give it a scratch database).
 */
import pino from "pino";
import { openDatabase } from "../store/database.ts";
import { createStore } from "../store/store.ts";
import { startJobQueue } from "./pg-boss.ts";

const samples = Number(process.argv[2] ?? 300);
const databaseUrl = process.env["DATABASE_URL"];
const database = await openDatabase({ databaseUrl, dataDir: "memory://" });
await database.migrate();
const queue = await startJobQueue(database, { logger: pino({ level: "warn" }) });
const store = createStore(database.db, { jobs: queue.schedulerFactory });

let called: ((at: number) => void) | undefined;
queue.work("messages.send", async () => called?.(performance.now()), { concurrency: 2 });
await new Promise((resolve) => setTimeout(resolve, 200));

const latencies: number[] = [];
for (let index = 0; index < samples; index++) {
  const handled = new Promise<number>((resolve) => (called = resolve));
  const start = performance.now();
  await store.transaction((repositories) => repositories.jobs.schedule("messages.send", { workspaceId: "bench", messageId: String(index) }));
  latencies.push((await handled) - start);
  // Agents do not send back to back; let the worker go back to sleep as it would between sends.
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await queue.stop();
await database.close();

latencies.sort((a, b) => a - b);
const percentile = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2));
console.log(
  JSON.stringify({
    bench: "job-schedule-to-handler",
    engine: database.engine,
    samples,
    unit: "ms",
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
  }),
);
