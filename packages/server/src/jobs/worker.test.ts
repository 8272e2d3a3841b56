import pino from "pino";
import type PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { LiveWork } from "../live-work.ts";
import { Worker, type WorkerOptions } from "./worker.ts";

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

type Payload = { messageId: string };

/** A job as pg-boss's fetch with `includeMetadata` answers it (pg-boss types.d.ts, `JobWithMetadata`). */
function job(id: string): PgBoss.JobWithMetadata<Payload> {
  const now = new Date();
  return {
    id,
    name: "messages.send",
    data: { messageId: id },
    expireInSeconds: 30,
    priority: 0,
    state: "active",
    retryLimit: 3,
    retryCount: 0,
    retryDelay: 2,
    retryBackoff: false,
    startAfter: now,
    startedOn: now,
    singletonKey: null,
    singletonOn: null,
    expireIn: { seconds: 30, toPostgres: () => "30 seconds", toISO: () => "PT30S", toISOString: () => "PT30S" },
    createdOn: now,
    completedOn: null,
    keepUntil: now,
    deadLetter: "",
    policy: "standard",
    output: {},
  };
}

/** pg-boss's fetch, complete and fail for one queue: each fetch waits until the test answers it. */
function heldBoss() {
  const answers: Array<(jobs: PgBoss.JobWithMetadata<Payload>[]) => void> = [];
  const boss: WorkerOptions<Payload>["boss"] = {
    fetch: <T>() => new Promise<PgBoss.JobWithMetadata<T>[]>((resolve) => answers.push(resolve as (jobs: PgBoss.JobWithMetadata<Payload>[]) => void)),
    complete: async () => {},
    fail: async () => {},
  };
  return {
    boss,
    /** Answers the oldest pending fetch with jobs of these ids. */
    answer: (...ids: string[]) => answers.shift()?.(ids.map(job)),
  };
}

describe("Worker on a live queue", () => {
  it("counts a wake-up as live work until the fetch it caused has started the job, which then counts by itself", async () => {
    const live = new LiveWork(60_000);
    const held = heldBoss();
    const handled: Array<{ messageId: string; liveWhileRunning: number }> = [];
    let finishJob!: () => void;
    const worker = new Worker<Payload>({
      boss: held.boss,
      name: "messages.send",
      handler: (payload) =>
        live.run(async () => {
          handled.push({ messageId: payload.messageId, liveWhileRunning: live.active });
          await new Promise<void>((resolve) => {
            finishJob = resolve;
          });
        }),
      batchSize: 4,
      pollingIntervalMs: 60_000,
      onFullBatch: () => {},
      liveWork: live,
      logger: pino({ level: "silent" }),
    });
    worker.start();
    await turn();
    held.answer();
    await turn();
    expect(worker.sleeping).toBe(true);
    expect(live.active).toBe(0);

    // An agent's message was stored: the wake-up holds campaigns back until its send has begun.
    worker.wake();
    expect(live.active).toBe(1);
    await turn();
    expect(live.active).toBe(1);
    held.answer("message-1");
    await turn();
    expect(handled).toEqual([{ messageId: "message-1", liveWhileRunning: 2 }]);
    expect(live.active).toBe(1);
    finishJob();
    await turn();
    expect(live.active).toBe(0);

    const stopped = worker.stop();
    held.answer();
    await stopped;
  });
});
