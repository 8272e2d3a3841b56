import pino from "pino";
import type PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { LiveWork } from "../live-work.ts";
import { Worker } from "./worker.ts";

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

/** pg-boss's fetch, complete and fail for one queue: each fetch waits until the test answers it. */
function heldBoss() {
  const answers: Array<(jobs: PgBoss.JobWithMetadata<{ messageId: string }>[]) => void> = [];
  const job = (id: string) =>
    ({ id, name: "messages.send", data: { messageId: id }, retryCount: 0, expireInSeconds: 30 }) as PgBoss.JobWithMetadata<{ messageId: string }>;
  return {
    boss: {
      fetch: () => new Promise((resolve) => answers.push(resolve)),
      complete: async () => [],
      fail: async () => [],
    } as unknown as Pick<PgBoss, "fetch" | "complete" | "fail">,
    /** Answers the oldest pending fetch with jobs of these ids. */
    answer: (...ids: string[]) => answers.shift()?.(ids.map(job)),
    pending: () => answers.length,
  };
}

describe("Worker on a live queue", () => {
  it("counts a wake-up as live work until the fetch it caused has started the job, which then counts by itself", async () => {
    const live = new LiveWork(60_000);
    const held = heldBoss();
    const handled: Array<{ messageId: string; liveWhileRunning: number }> = [];
    let finishJob!: () => void;
    const worker = new Worker<{ messageId: string }>({
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
