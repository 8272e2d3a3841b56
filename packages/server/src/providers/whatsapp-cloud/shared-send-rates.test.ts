import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { SendRateLimiter } from "./rate-limiter.ts";
import { SHARED_SEND_RATE_SLOTS, sharedRateMemory, sharedRateStates } from "./shared-send-rates.ts";
import { ManualTime } from "./testing/manual-time.ts";
import { startAcquires as start } from "./testing/acquires.ts";

describe("shared send rates", () => {
  it("makes limiters on the same memory (the main and campaign threads) draw on one budget per number", async () => {
    const time = new ManualTime();
    const memory = sharedRateMemory();
    const live = new SendRateLimiter({ perSecond: 4, states: sharedRateStates(memory) }, time);
    const campaign = new SendRateLimiter({ perSecond: 4, states: sharedRateStates(memory) }, time);
    const replies = start(live, "106540352242922", 2);
    const sends = start(campaign, "106540352242922", 4);
    await time.advance(0);
    // One second's burst of 4 between them, not 4 each.
    expect(replies.passed() + sends.passed()).toBe(4);
    await time.advance(500);
    expect(replies.passed() + sends.passed()).toBe(6);
  });

  it("holds the other thread's sends too when one meets Meta's 130429", async () => {
    const time = new ManualTime();
    const memory = sharedRateMemory();
    const live = new SendRateLimiter({ perSecond: 80, states: sharedRateStates(memory) }, time);
    const campaign = new SendRateLimiter({ perSecond: 80, states: sharedRateStates(memory) }, time);
    campaign.pause("106540352242922", 3_000);
    expect(live.pausedForMs("106540352242922")).toBe(3_000);
    const reply = start(live, "106540352242922", 1);
    await time.advance(2_900);
    expect(reply.passed()).toBe(0);
    await time.advance(200);
    expect(reply.passed()).toBe(1);
  });

  it("keeps separate numbers apart, past the table's size too", async () => {
    const time = new ManualTime();
    const memory = sharedRateMemory();
    const limiter = new SendRateLimiter({ perSecond: 1, states: sharedRateStates(memory) }, time);
    const other = new SendRateLimiter({ perSecond: 1, states: sharedRateStates(memory) }, time);
    const numbers = Array.from({ length: SHARED_SEND_RATE_SLOTS + 50 }, (_, i) => `10654035224${String(i).padStart(4, "0")}`);
    const first = numbers.map((number) => start(limiter, number, 1));
    await time.advance(0);
    // Each number has its own budget of one: all pass at once.
    expect(first.every((sends) => sends.passed() === 1)).toBe(true);
    // The numbers in the table are spent for the other limiter as well; those past it are counted per limiter.
    const second = numbers.map((number) => start(other, number, 1));
    await time.advance(0);
    expect(second.filter((sends) => sends.passed() === 1)).toHaveLength(50);
  });

  it("refuses memory that is not a table's", () => {
    expect(() => sharedRateStates(new SharedArrayBuffer(64))).toThrow(RangeError);
  });

  it("loses no update when two threads change one number's state at once", { timeout: 30_000 }, async () => {
    const memory = sharedRateMemory();
    const rounds = 300_000;
    // [0]: the other thread is ready; [1]: both go (so that their loops overlap).
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const moduleUrl = new URL("./shared-send-rates.ts", import.meta.url).href;
    // The other thread runs the same module (through tsx, as Parley's threads do from the sources).
    const worker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       import("tsx/esm/api").then(({ register }) => { register(); return import(workerData.moduleUrl); }).then(({ sharedRateStates }) => {
         const states = sharedRateStates(workerData.memory);
         const gate = new Int32Array(workerData.gate);
         Atomics.store(gate, 0, 1);
         while (Atomics.load(gate, 1) === 0);
         for (let i = 0; i < workerData.rounds; i++) states.update("106540352242922", (state) => { state.tat += 1; });
         parentPort.postMessage("done");
       });`,
      { eval: true, workerData: { memory, rounds, moduleUrl, gate: gate.buffer } },
    );
    try {
      const done = new Promise<void>((resolve, reject) => {
        worker.on("message", (message: string) => message === "done" && resolve());
        worker.on("error", reject);
      });
      const states = sharedRateStates(memory);
      while (Atomics.load(gate, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      Atomics.store(gate, 1, 1);
      for (let i = 0; i < rounds; i++) states.update("106540352242922", (state) => void (state.tat += 1));
      await done;
      expect(states.update("106540352242922", (state) => state.tat)).toBe(2 * rounds);
    } finally {
      await worker.terminate();
    }
  });
});
