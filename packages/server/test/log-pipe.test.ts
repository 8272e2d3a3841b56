/**
 * An operator pipes `parley start` into a log reader and the reader dies: SIGTERM must still
 * stop the node, within 10 s. With pino's default destination the exit flush retried the EPIPE
 * write every 100 ms for ever, inside process.exit(), and the node had to be killed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { freePort, startParleyProcess, stopProcess } from "./processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "parley-log-pipe-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("shuts down on SIGTERM within 10 s after the reader of its log pipe went away", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const node = await startParleyProcess(dataDir, port, { stdout: "pipe", env: { LOG_LEVEL: "info" } });
  try {
    let logged = "";
    node.stdout!.on("data", (chunk: Buffer) => (logged += chunk.toString()));
    await eventually(() => logged.includes('"node started"'), { what: "the node's first log lines" });
    // The reader goes away: from now on every write to the node's stdout fails with EPIPE.
    node.stdout!.destroy();
    await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    const started = Date.now();
    const exit = stopProcess(node, "SIGTERM");
    const deadline = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 10_000));
    expect(await Promise.race([exit, deadline])).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  } finally {
    if (node.exitCode === null) node.kill("SIGKILL");
  }
});
