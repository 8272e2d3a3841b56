/**
 * Nothing queued is lost to a SIGKILL, and a job that was running at the kill runs again: a child
 * process on a PGlite data directory schedules jobs whose handlers hang, is killed while two of
 * them are active, and a new queue on the same directory runs every job.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { stopProcess } from "../../test/processes.ts";
import { openDatabase, type DatabaseHandle } from "../store/database.ts";
import { startJobQueue, type JobQueue } from "./pg-boss.ts";
import { recordingLogger, sleep, waitUntil } from "./pg-boss.testing.ts";

const childScript = fileURLToPath(new URL("../../test/job-queue-child.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "parley-jobs-crash-"));
let child: ChildProcess | undefined;
let database: DatabaseHandle | undefined;
let queue: JobQueue | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await queue?.stop({ timeoutMs: 1_000 });
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("runs every queued job after a SIGKILL, the ones that were running included", { timeout: 90_000 }, async () => {
  const count = 20;
  child = spawn(process.execPath, ["--import", "tsx", childScript, dataDir, String(count)], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const startedBeforeKill = () => [...output.matchAll(/^started (\S+)$/gm)].map((match) => match[1]!);
  await waitUntil("both workers of the child are running a job", () => startedBeforeKill().length === 2 || child?.exitCode !== null, 60_000);
  expect(child.exitCode).toBeNull();
  await stopProcess(child, "SIGKILL");
  child = undefined;
  const active = startedBeforeKill();

  database = await openDatabase({ dataDir });
  await database.migrate();
  const { logger, records } = recordingLogger();
  const restartedAt = Date.now();
  queue = await startJobQueue(database, { logger });
  const runs: Array<{ messageId: string; retryCount: number }> = [];
  queue.work("messages.send", async (payload, job) => void runs.push({ messageId: payload.messageId, retryCount: job.retryCount }), { concurrency: 2 });

  await waitUntil("every job ran after the restart", () => runs.length >= count, 20_000);
  expect(Date.now() - restartedAt).toBeLessThan(10_000);
  await sleep(500);
  const expected = Array.from({ length: count }, (_, index) => `m${index}`);
  expect(runs.map((run) => run.messageId).sort()).toEqual(expected.sort());
  // Only the two that were running at the kill are repeats.
  expect(
    runs
      .filter((run) => run.retryCount > 0)
      .map((run) => run.messageId)
      .sort(),
  ).toEqual([...active].sort());
  expect(records.find((record) => record.msg === "re-queued jobs that were running when the process stopped")).toMatchObject({ jobs: 2 });
});
