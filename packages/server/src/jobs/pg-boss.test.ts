/**
 * The pg-boss job queue on every engine (PGlite always, PostgreSQL when DATABASE_URL is set):
 * transactional scheduling, wake-ups, dedupe, delays, priorities, failures and shutdown.
 * Each test gets its own pg-boss schema on a shared database.
 */
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobPayloads } from "../domain/jobs.ts";
import type { Store } from "../domain/ports.ts";
import { createStore } from "../store/store.ts";
import { openDatabase, type DatabaseHandle } from "../store/database.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../test/databases.ts";
import { startJobQueue, type JobQueue, type JobQueueOptions } from "./pg-boss.ts";
import { gate, recordingLogger, sleep, waitUntil } from "./pg-boss.testing.ts";

type Send = JobPayloads["messages.send"];
const send = (messageId: string): Send => ({ workspaceId: "w1", messageId });

describe.each(testEngines())("job queue on %s", (engine) => {
  let database: TestDatabase;
  let schemaCount = 0;
  const running: JobQueue[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((queue) => queue.stop({ timeoutMs: 1_000 })));
  });
  afterAll(async () => {
    await database.cleanup();
  });

  /** A started queue on its own schema, and a store whose scheduler is that queue's. */
  async function start(options: Partial<JobQueueOptions> & { handle?: DatabaseHandle } = {}) {
    const { handle = database.handle, ...rest } = options;
    const { logger, records } = recordingLogger();
    const schema = rest.schema ?? `jobs_${engine}_${++schemaCount}`;
    const queue = await startJobQueue(handle, { logger, pollingIntervalSeconds: 0.2, ...rest, schema });
    running.push(queue);
    const store: Store = createStore(handle.db, { jobs: queue.schedulerFactory });
    return { queue, store, records, schema };
  }

  async function jobCount(schema: string, where = "true"): Promise<number> {
    const result = (await database.handle.db.execute(sql.raw(`select count(*)::int as count from ${schema}.job where ${where}`))) as unknown as {
      rows: Array<{ count: number }>;
    };
    return result.rows[0]!.count;
  }

  it("runs a job scheduled in a committed transaction, with its payload", async () => {
    const { queue, store } = await start();
    const seen: Array<{ payload: Send; retryCount: number; id: string }> = [];
    queue.work("messages.send", async (payload, job) => void seen.push({ payload, ...job }));
    await store.transaction((repositories) => repositories.jobs.schedule("messages.send", send("m1")));
    await waitUntil("the job ran", () => seen.length === 1);
    expect(seen[0]).toMatchObject({ payload: send("m1"), retryCount: 0 });
    expect(seen[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never runs a job whose transaction rolled back, and stores nothing of it", async () => {
    const { queue, store, schema } = await start();
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await expect(
      store.transaction(async (repositories) => {
        await repositories.jobs.schedule("messages.send", send("rolled-back"));
        throw new Error("the request failed after scheduling");
      }),
    ).rejects.toThrow("the request failed after scheduling");
    await store.transaction((repositories) => repositories.jobs.schedule("messages.send", send("committed")));
    await waitUntil("the committed job ran", () => seen.includes("committed"));
    await sleep(500);
    expect(seen).toEqual(["committed"]);
    expect(await jobCount(schema)).toBe(1);
  });

  it("does not start a job before its transaction commits", async () => {
    const { queue, store, schema } = await start();
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    const transaction = store.transaction(async (repositories) => {
      await repositories.jobs.schedule("messages.send", send("pending"));
      queue.wake("messages.send");
      await sleep(600); // three polls
      expect(seen).toEqual([]);
      // Another connection cannot see it (PGlite has only one, which this transaction holds).
      if (engine === "postgres") expect(Number((await database.handle.pool!.query(`select count(*) from ${schema}.job`)).rows[0].count)).toBe(0);
    });
    await transaction;
    await waitUntil("the job ran after the commit", () => seen.length === 1);
  });

  it("starts a committed job at once, not at the next poll", async () => {
    const { queue, store } = await start({ pollingIntervalSeconds: 60 });
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await sleep(100); // the worker's first (empty) fetch is over; it sleeps for 60 s now
    await store.transaction((repositories) => repositories.jobs.schedule("messages.send", send("woken")));
    await waitUntil("the job ran", () => seen.length === 1, 2_000);
  });

  it("starts a delayed job when it is due: not before, and not at the next poll", async () => {
    const { queue, store } = await start({ pollingIntervalSeconds: 60 });
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await sleep(100);
    await store.jobs.schedule("messages.send", send("delayed"), { delayMs: 400 });
    await sleep(150);
    expect(seen).toEqual([]);
    await waitUntil("the job ran once due", () => seen.length === 1, 3_000);
  });

  it("runs a failed job again when its retry is due, not at the next poll", async () => {
    const { queue, store } = await start({ pollingIntervalSeconds: 60 });
    let attempts = 0;
    queue.work("messages.send", async () => {
      attempts++;
      if (attempts === 1) throw new Error("the provider is down");
    });
    await store.jobs.schedule("messages.send", send("retried"));
    // messages.send retries after 2–4 s (retryDelaySeconds 2, with backoff and jitter).
    await waitUntil("the retry ran", () => attempts === 2, 10_000);
  });

  it("wake() starts a due job that no notification announced", async () => {
    const { queue, store, schema } = await start({ pollingIntervalSeconds: 60 });
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await sleep(100);
    // Due in two hours: too far for a timer. Made due behind the queue's back, it waits for a poll or wake().
    await store.jobs.schedule("messages.send", send("unannounced"), { delayMs: 2 * 60 * 60 * 1000 });
    await database.handle.db.execute(sql.raw(`update ${schema}.job set start_after = now() where name = 'messages.send'`));
    await sleep(300);
    expect(seen).toEqual([]);
    queue.wake("messages.send");
    await waitUntil("the job ran", () => seen.length === 1, 2_000);
  });

  it("keeps one waiting job per singletonKey", async () => {
    const { queue, store } = await start();
    await store.transaction(async (repositories) => {
      await repositories.jobs.schedule("messages.send", send("first"), { singletonKey: "message-1" });
      await repositories.jobs.schedule("messages.send", send("duplicate"), { singletonKey: "message-1" });
      await repositories.jobs.schedule("messages.send", send("other"), { singletonKey: "message-2" });
      await repositories.jobs.schedule("messages.send", send("unkeyed-a"));
      await repositories.jobs.schedule("messages.send", send("unkeyed-b"));
    });
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await waitUntil("four jobs ran", () => seen.length === 4);
    // Once the first has run, the key is free again.
    await store.jobs.schedule("messages.send", send("again"), { singletonKey: "message-1" });
    await waitUntil("the new job with the same key ran", () => seen.includes("again"));
    await sleep(300);
    expect(seen.sort()).toEqual(["again", "first", "other", "unkeyed-a", "unkeyed-b"]);
  });

  it("runs a delayed job no earlier than its delay", async () => {
    const { queue, store } = await start();
    const ranAt: number[] = [];
    queue.work("messages.send", async () => void ranAt.push(Date.now()));
    const scheduledAt = Date.now();
    await store.jobs.schedule("messages.send", send("later"), { delayMs: 1_500 });
    await waitUntil("the delayed job ran", () => ranAt.length === 1, 5_000);
    expect(ranAt[0]! - scheduledAt).toBeGreaterThanOrEqual(1_500);
    expect(ranAt[0]! - scheduledAt).toBeLessThan(1_500 + 1_000);
  });

  it("lets a handler schedule the job's next attempt, with a delay and the same singletonKey", async () => {
    const { queue, store } = await start();
    const attempts: number[] = [];
    queue.work("messages.send", async (payload) => {
      const attempt = Number(payload.messageId);
      attempts.push(attempt);
      if (attempt < 2) await store.jobs.schedule("messages.send", send(String(attempt + 1)), { delayMs: 200, singletonKey: "message-x" });
    });
    await store.jobs.schedule("messages.send", send("0"), { singletonKey: "message-x" });
    await waitUntil("three attempts ran", () => attempts.length === 3, 5_000);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("runs a live job before bulk jobs queued earlier", async () => {
    const { queue, store } = await start();
    const blocker = gate();
    const order: string[] = [];
    queue.work("messages.send", async (payload) => {
      order.push(payload.messageId);
      if (payload.messageId === "blocker") await blocker.promise;
    });
    await store.jobs.schedule("messages.send", send("blocker"));
    await waitUntil("the only worker is busy", () => order.length === 1);
    const scheduler = queue.schedulerFactory(database.handle.db);
    for (const id of ["bulk-1", "bulk-2", "bulk-3"]) await scheduler.schedule("messages.send", send(id), { priority: "bulk" });
    await scheduler.schedule("messages.send", send("live"));
    blocker.open();
    await waitUntil("every job ran", () => order.length === 5);
    expect(order).toEqual(["blocker", "live", "bulk-1", "bulk-2", "bulk-3"]);
  });

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
    const second = await openDatabase({ databaseUrl: database.url!, dataDir: "", poolSize: 5 });
    try {
      const schema = `jobs_${engine}_${++schemaCount}`;
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
    const second = await openDatabase({ databaseUrl: database.url!, dataDir: "", poolSize: 5 });
    try {
      const schema = `jobs_${engine}_${++schemaCount}`;
      const dead = await start({ schema, handle: second });
      const stuck = gate();
      dead.queue.work("messages.send", async () => {
        stuck.open();
        await new Promise(() => {}); // the node hangs, then "dies" holding the job
      });
      await dead.store.jobs.schedule("messages.send", send("orphan"));
      await stuck.promise;
      // Stand-in for 30 s passing: the job's expiry, as stamped from queues.ts, shortened to 1 s.
      await database.handle.pool!.query(`update ${schema}.job set expire_in = interval '1 second' where state = 'active'`);
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

  describe("per-inbox queues (whatsapp.session)", () => {
    const inboxA = "0190a0a0-0000-7000-8000-00000000000a";
    const inboxB = "0190a0a0-0000-7000-8000-00000000000b";
    const task = (messageId: string) => ({ kind: "send" as const, workspaceId: "w1", messageId });

    it("runs an inbox's jobs only where its queue is worked, and holds them while nobody works it", async () => {
      const { queue, store } = await start();
      await queue.createInboxQueue("whatsapp.session", inboxA);
      await queue.createInboxQueue("whatsapp.session", inboxB);
      const seen: string[] = [];
      await queue.workInbox("whatsapp.session", inboxA, async ({ inboxId, task }) => void seen.push(`${inboxId}:${task.kind}`));
      await store.jobs.schedule("whatsapp.session", { inboxId: inboxB, task: task("m2") });
      await store.jobs.schedule("whatsapp.session", { inboxId: inboxA, task: task("m1") });
      await waitUntil("inbox A's job ran", () => seen.length === 1);
      await sleep(500);
      expect(seen).toEqual([`${inboxA}:send`]);

      // Another owner picks B's queue up later: the job waited for it.
      await queue.workInbox("whatsapp.session", inboxB, async ({ inboxId }) => void seen.push(`${inboxId}:late`));
      await waitUntil("inbox B's job ran", () => seen.length === 2);
      expect(seen[1]).toBe(`${inboxB}:late`);
      await expect(queue.workInbox("whatsapp.session", inboxB, async () => {})).rejects.toThrow(/already has handlers/);
    });

    it("counts waiting and running jobs per kind, the inboxes' queues summed into theirs", async () => {
      const { queue, store } = await start();
      await queue.createInboxQueue("whatsapp.session", inboxA);
      await queue.createInboxQueue("whatsapp.session", inboxB);
      await store.jobs.schedule("whatsapp.session", { inboxId: inboxA, task: task("m1") });
      await store.jobs.schedule("whatsapp.session", { inboxId: inboxB, task: task("m2") });
      await store.jobs.schedule("messages.send", send("m3"), { delayMs: 60_000 });
      const held = gate();
      await queue.workInbox("whatsapp.session", inboxA, () => held.promise);
      await waitUntil("inbox A's job runs", async () => (await queue.depths()).find((depth) => depth.queue === "whatsapp.session")?.active === 1);
      expect(await queue.depths()).toEqual(
        expect.arrayContaining([
          { queue: "whatsapp.session", waiting: 1, active: 1 },
          { queue: "messages.send", waiting: 1, active: 0 },
          { queue: "media.download", waiting: 0, active: 0 },
        ]),
      );
      held.open();
    });

    it("hands a running job back when the queue stops being worked here, so the next owner runs it", async () => {
      const { queue, store } = await start();
      await queue.createInboxQueue("whatsapp.session", inboxA);
      const held = gate();
      let started = 0;
      await queue.workInbox("whatsapp.session", inboxA, async () => {
        started += 1;
        await held.promise;
      });
      await store.jobs.schedule("whatsapp.session", { inboxId: inboxA, task: task("m1") });
      await waitUntil("the job started", () => started === 1);
      await queue.stopInbox("whatsapp.session", inboxA, { timeoutMs: 100 });
      held.open();
      const rerun: number[] = [];
      await queue.workInbox("whatsapp.session", inboxA, async (_payload, job) => void rerun.push(job.retryCount));
      await waitUntil("the job ran again", () => rerun.length === 1, 15_000);
      expect(rerun).toEqual([1]);
    });

    it("answers a request with its handler's result, and times out when no node works the queue", async () => {
      const { queue } = await start();
      await queue.createInboxQueue("whatsapp.session", inboxA);
      await queue.createInboxQueue("whatsapp.session", inboxB);
      await queue.workInbox("whatsapp.session", inboxA, async ({ task }) =>
        task.kind === "pairing_code" ? { code: `CODE${task.phoneNumber.slice(-4)}` } : undefined,
      );
      await expect(
        queue.request("whatsapp.session", { inboxId: inboxA, task: { kind: "pairing_code", phoneNumber: "+62811112222" } }, { timeoutMs: 5_000 }),
      ).resolves.toEqual({
        code: "CODE2222",
      });
      await expect(queue.request("whatsapp.session", { inboxId: inboxB, task: { kind: "restart" } }, { timeoutMs: 500 })).rejects.toThrow(/within 500 ms/);
    });

    it("reports a request whose handler threw, without retrying it", async () => {
      const { queue } = await start();
      await queue.createInboxQueue("whatsapp.session", inboxA);
      let runs = 0;
      await queue.workInbox("whatsapp.session", inboxA, async () => {
        runs += 1;
        throw new Error("The phone is offline.");
      });
      await expect(queue.request("whatsapp.session", { inboxId: inboxA, task: { kind: "logout" } }, { timeoutMs: 5_000 })).rejects.toThrow(/phone is offline/);
      await sleep(300);
      expect(runs).toBe(1);
    });
  });
});
