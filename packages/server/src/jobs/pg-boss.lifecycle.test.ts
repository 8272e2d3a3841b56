/**
 * The pg-boss job queue on every engine: handler failures, graceful and forced shutdown, health,
 * refused input, and (PostgreSQL) several nodes sharing one database. Each test gets its own
 * pg-boss schema on a shared database (pg-boss.fixture.ts).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { JobPayloads } from "../domain/jobs.ts";
import { openDatabase } from "../store/database.ts";
import { testEngines } from "../../test/databases.ts";
import { useJobQueues } from "./pg-boss.fixture.ts";
import { queueSettings } from "./queues.ts";
import { gate, sleep, waitUntil } from "./pg-boss.testing.ts";

type Send = JobPayloads["messages.send"];
const send = (messageId: string): Send => ({ workspaceId: "w1", messageId });

describe.each(testEngines())("job queue on %s", (engine) => {
  const fixture = useJobQueues(engine);
  const { start, jobCount, running, nextSchema } = fixture;

  it("logs a handler's error, keeps the worker running and leaves the job to pg-boss's retry", async () => {
    const { queue, store, records, schema } = await start();
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => {
      seen.push(payload.messageId);
      if (payload.messageId === "bad") throw new Error("provider exploded");
    });
    await store.jobs.schedule("messages.send", send("bad"));
    await waitUntil("the failing job ran", () => seen.includes("bad"));
    await store.jobs.schedule("messages.send", send("good"));
    await waitUntil("the next job ran", () => seen.includes("good"));
    const failure = records.find((record) => record.msg === "job failed");
    expect(failure).toMatchObject({ level: 50, queue: "messages.send", err: { message: "provider exploded" } });
    expect(await jobCount(schema, "state = 'retry'")).toBe(1);
  });

  it("stop() waits for a running handler and records its job as completed", async () => {
    const { queue, store, schema } = await start();
    let finished = false;
    const started = gate();
    queue.work("messages.send", async () => {
      started.open();
      await sleep(400);
      finished = true;
    });
    await store.jobs.schedule("messages.send", send("slow"));
    await started.promise;
    await queue.stop({ timeoutMs: 5_000 });
    expect(finished).toBe(true);
    expect(await jobCount(schema, "state = 'completed'")).toBe(1);
    await expect(queue.ping()).rejects.toThrow("stopped");
  });

  it("stop() gives up on a handler after its timeout and hands the job back for a retry", async () => {
    const { queue, store, schema } = await start();
    const started = gate();
    const release = gate();
    queue.work("messages.send", async () => {
      started.open();
      await release.promise;
    });
    await store.jobs.schedule("messages.send", send("stuck"));
    await started.promise;
    const stopping = Date.now();
    await queue.stop({ timeoutMs: 200 });
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(await jobCount(schema, "state = 'retry'")).toBe(1);
    release.open();
  });

  it("answers ping() while running", async () => {
    const { queue } = await start();
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it("rejects bad scheduling input and stores nothing", async () => {
    const { store, schema } = await start();
    const jobs = store.jobs as unknown as { schedule(name: string, payload: unknown, options?: unknown): Promise<void> };
    await expect(jobs.schedule("messages.sned", send("x"))).rejects.toThrow('no job queue named "messages.sned"');
    await expect(jobs.schedule("messages.send", send("x"), { delayMs: -1 })).rejects.toThrow(RangeError);
    await expect(jobs.schedule("messages.send", send("x"), { delayMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(jobs.schedule("messages.send", send("x"), { singletonKey: "" })).rejects.toThrow("singletonKey");
    await expect(jobs.schedule("messages.send", send("x"), { priority: "urgent" })).rejects.toThrow('priority "urgent"');
    expect(await jobCount(schema)).toBe(0);
  });

  it("at a restart, brings a queue's changed settings up to date and leaves current ones untouched", async () => {
    const schema = nextSchema();
    const first = await start({ schema });
    await first.queue.stop();
    const queues = async () =>
      (
        (await fixture.database.handle.db.execute(
          sql.raw(`select name, retry_limit, retry_delay, extract(epoch from updated_on)::float8 as updated from ${schema}.queue order by name`),
        )) as unknown as { rows: Array<{ name: string; retry_limit: number; retry_delay: number; updated: number }> }
      ).rows;
    // As an older version of Parley would have left them: different retry settings.
    await fixture.database.handle.db.execute(sql.raw(`update ${schema}.queue set retry_limit = 9, retry_delay = 60 where name = 'messages.send'`));
    const before = await queues();
    await start({ schema });
    const after = await queues();
    expect(after.map((queue) => queue.name)).toEqual(before.map((queue) => queue.name));
    const { retryLimit, retryDelaySeconds } = queueSettings["messages.send"];
    expect(after.find((queue) => queue.name === "messages.send")).toMatchObject({ retry_limit: retryLimit, retry_delay: retryDelaySeconds });
    for (const queue of after.filter((entry) => entry.name !== "messages.send")) {
      expect(queue, `${queue.name} was written to`).toEqual(before.find((entry) => entry.name === queue.name));
    }
  });

  it("rejects bad worker registrations", async () => {
    const { queue } = await start();
    const handler = async () => {};
    expect(() => queue.work("nope" as "messages.send", handler)).toThrow('no job queue named "nope"');
    expect(() => queue.work("messages.send", handler, { concurrency: 0 })).toThrow(RangeError);
    expect(() => queue.work("messages.send", handler, { batchSize: 1.5 })).toThrow(RangeError);
    queue.work("messages.send", handler);
    expect(() => queue.work("messages.send", handler)).toThrow("already has handlers");
  });

  it.runIf(engine === "postgres")("shares work between two queues on one database, running each job once", async () => {
    const second = await openDatabase({ databaseUrl: fixture.database.url!, dataDir: "", poolSize: 5 });
    try {
      const schema = nextSchema();
      const [a, b] = await Promise.all([start({ schema }), start({ schema, handle: second })]);
      const runs: Array<{ node: string; id: string }> = [];
      const handler = (node: string) => async (payload: Send) => {
        runs.push({ node, id: payload.messageId });
        // Long enough that one node cannot drain the queue before the other wakes, even on a loaded machine.
        await sleep(60);
      };
      a.queue.work("messages.send", handler("a"), { concurrency: 2 });
      b.queue.work("messages.send", handler("b"), { concurrency: 2 });
      const ids = Array.from({ length: 60 }, (_, index) => `m${index}`);
      await a.store.transaction(async (repositories) => {
        for (const id of ids) await repositories.jobs.schedule("messages.send", send(id));
      });
      await waitUntil("every job ran", () => runs.length >= ids.length);
      await sleep(300);
      expect(runs.map((run) => run.id).sort()).toEqual([...ids].sort());
      expect(new Set(runs.map((run) => run.node))).toEqual(new Set(["a", "b"]));
      await Promise.all(running.splice(0).map((queue) => queue.stop()));
    } finally {
      await second.close();
    }
  });

  it.runIf(engine === "postgres")("runs a job stuck on a dead node on another node once its expiry passes", { timeout: 30_000 }, async () => {
    const second = await openDatabase({ databaseUrl: fixture.database.url!, dataDir: "", poolSize: 5 });
    try {
      const schema = nextSchema();
      const dead = await start({ schema, handle: second });
      const stuck = gate();
      dead.queue.work("messages.send", async () => {
        stuck.open();
        await new Promise(() => {}); // the node hangs, then "dies" holding the job
      });
      await dead.store.jobs.schedule("messages.send", send("orphan"));
      await stuck.promise;
      // Stand-in for 30 s passing: the job's expiry, as stamped from queues.ts, shortened to 1 s.
      await fixture.database.handle.pool!.query(`update ${schema}.job set expire_in = interval '1 second' where state = 'active'`);
      const alive = await start({ schema, maintenanceIntervalSeconds: 1 });
      const runs: Array<{ messageId: string; retryCount: number }> = [];
      alive.queue.work("messages.send", async (payload, job) => void runs.push({ messageId: payload.messageId, retryCount: job.retryCount }));
      // expiry 1 s + maintenance ≤ 1 s + retry delay 2–4 s + poll 0.2 s
      await waitUntil("the orphaned job ran on the live node", () => runs.length === 1, 15_000);
      expect(runs).toEqual([{ messageId: "orphan", retryCount: 1 }]);
      await Promise.all(running.splice(0).map((queue) => queue.stop({ timeoutMs: 100 })));
    } finally {
      await second.close();
    }
  });
});
