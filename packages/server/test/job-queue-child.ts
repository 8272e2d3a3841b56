/**
 * A process for the job queue's crash test (src/jobs/pg-boss.crash.test.ts):
 * `node --import tsx test/job-queue-child.ts <dataDir> <count>` opens PGlite in `dataDir`,
 * schedules `count` `messages.send` jobs (message ids m0, m1, ...) in one transaction and runs
 * them in two workers whose handler never returns. It prints `started <messageId>` as each
 * handler starts, and waits to be killed.
 */
import pino from "pino";
import { startJobQueue } from "../src/jobs/pg-boss.ts";
import { openDatabase } from "../src/store/database.ts";
import { createStore } from "../src/store/store.ts";

const [dataDir, count] = process.argv.slice(2);
if (!dataDir || !count) throw new Error("usage: job-queue-child.ts <dataDir> <count>");

const database = await openDatabase({ dataDir });
await database.migrate();
const queue = await startJobQueue(database, { logger: pino({ level: "warn" }, pino.destination(2)) });
const store = createStore(database.db, { jobs: queue.schedulerFactory });
queue.work(
  "messages.send",
  async (payload) => {
    process.stdout.write(`started ${payload.messageId}\n`);
    await new Promise(() => {});
  },
  { concurrency: 2 },
);
await store.transaction(async (repositories) => {
  for (let index = 0; index < Number(count); index++) await repositories.jobs.schedule("messages.send", { workspaceId: "w1", messageId: `m${index}` });
});
