/**
 * The pg-boss job queue on every engine (PGlite always, PostgreSQL when DATABASE_URL is set):
 * transactional scheduling, wake-ups, dedupe, delays and priorities. Failures and shutdown are
 * in pg-boss.lifecycle.test.ts, per-inbox queues and requests in pg-boss.inbox-queues.test.ts.
 * Each test gets its own pg-boss schema on a shared database (pg-boss.fixture.ts).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { JobPayloads } from "../domain/jobs.ts";
import { testEngines } from "../../test/databases.ts";
import { useJobQueues } from "./pg-boss.fixture.ts";
import { parseWakePayload } from "./due-wakeups.ts";
import { gate, recordingLogger, sleep, waitUntil } from "./pg-boss.testing.ts";
import { listenForWakeups, wakeChannel } from "./wake-listener.ts";

type Send = JobPayloads["messages.send"];
const send = (messageId: string): Send => ({ workspaceId: "w1", messageId });

describe.each(testEngines())("job queue on %s", (engine) => {
  const fixture = useJobQueues(engine);
  const { start, jobCount } = fixture;

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
      if (engine === "postgres") expect(Number((await fixture.database.handle.pool!.query(`select count(*) from ${schema}.job`)).rows[0].count)).toBe(0);
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

  it("starts a job delayed before a restart when it is due, not at the restarted queue's first poll", async () => {
    const before = await start({ pollingIntervalSeconds: 60 });
    await before.store.jobs.schedule("messages.send", send("delayed across a restart"), { delayMs: 1_500 });
    await before.queue.stop({ timeoutMs: 1_000 });
    fixture.running.splice(fixture.running.indexOf(before.queue), 1);

    const { queue } = await start({ pollingIntervalSeconds: 60, schema: before.schema });
    const seen: string[] = [];
    queue.work("messages.send", async (payload) => void seen.push(payload.messageId));
    await sleep(300); // the worker's first fetch found nothing due: it sleeps for 60 s now
    expect(seen).toEqual([]);
    await waitUntil("the job ran once due", () => seen.length === 1, 3_000);
    expect(seen).toEqual(["delayed across a restart"]);
  });

  it("announces a delayed job with a due time no earlier than the time it can be fetched", async () => {
    const { store, schema } = await start({ pollingIntervalSeconds: 60 });
    const payloads: string[] = [];
    const listener = await listenForWakeups(fixture.database.handle, wakeChannel(schema), {
      onWake: (payload) => payloads.push(payload),
      onReconnect: () => {},
      logger: recordingLogger().logger,
    });
    try {
      for (const delayMs of [1, 250, 10_000]) await store.jobs.schedule("messages.send", send(`delayed-${delayMs}`), { delayMs });
      await store.jobs.schedule("messages.send", send("now"));
      await waitUntil("every announcement arrived", () => payloads.length === 4);
      const result = (await fixture.database.handle.db.execute(
        sql.raw(`select data->>'messageId' as id, (extract(epoch from start_after) * 1000)::float8 as due from ${schema}.job`),
      )) as unknown as { rows: Array<{ id: string; due: number }> };
      const fetchable = new Map(result.rows.map((row) => [row.id, row.due]));
      const announced = payloads.map(parseWakePayload);
      expect(announced.map((wake) => wake.queueName)).toEqual(["messages.send", "messages.send", "messages.send", "messages.send"]);
      expect(announced[3]!.dueAtMs).toBe(0);
      ["delayed-1", "delayed-250", "delayed-10000"].forEach((id, index) => {
        const wake = announced[index]!;
        const fetchableAt = fetchable.get(id)!;
        expect(wake.dueAtMs).toBeGreaterThanOrEqual(fetchableAt);
        expect(wake.dueAtMs - fetchableAt).toBeLessThan(1_000);
      });
    } finally {
      await listener.close();
    }
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
    await fixture.database.handle.db.execute(sql.raw(`update ${schema}.job set start_after = now() where name = 'messages.send'`));
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
    const scheduler = queue.schedulerFactory(fixture.database.handle.db);
    for (const id of ["bulk-1", "bulk-2", "bulk-3"]) await scheduler.schedule("messages.send", send(id), { priority: "bulk" });
    await scheduler.schedule("messages.send", send("live"));
    blocker.open();
    await waitUntil("every job ran", () => order.length === 5);
    expect(order).toEqual(["blocker", "live", "bulk-1", "bulk-2", "bulk-3"]);
  });
});
