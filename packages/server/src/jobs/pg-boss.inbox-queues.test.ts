/**
 * The pg-boss job queue on every engine: per-inbox queues (`whatsapp.session.{inboxId}`) worked
 * only by the session's owner, and requests that wait for a job's result. Each test gets its
 * own pg-boss schema on a shared database (pg-boss.fixture.ts).
 */
import { describe, expect, it } from "vitest";
import type { JobPayloads } from "../domain/jobs.ts";
import { testEngines } from "../../test/databases.ts";
import { useJobQueues } from "./pg-boss.fixture.ts";
import { gate, sleep, waitUntil } from "./pg-boss.testing.ts";

type Send = JobPayloads["messages.send"];
const send = (messageId: string): Send => ({ workspaceId: "w1", messageId });

describe.each(testEngines())("job queue on %s", (engine) => {
  const fixture = useJobQueues(engine);
  const { start } = fixture;

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
