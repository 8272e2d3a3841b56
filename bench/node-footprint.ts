/**
 * An embedded node's start and idle footprint (issue 8 part 8): `parley start` as `npm start`
 * runs it after setup (the server bundle, web app and widget already built by `npm ci`; built
 * here when missing), on a fresh PGlite data directory
 * (first start: the database is created and migrated) and again on the same directory (every
 * later start). Measures the time from spawn to `GET /api/v1/health` answering 200, and the
 * process's resident memory after `idleSeconds` with nobody connected. Goals: ≤ 2 s to healthy,
 * ≤ 300 MB idle. Sizes in MB, times in ms.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface NodeFootprintResult {
  first_start_to_healthy_ms: number;
  first_start_idle_rss_mb: number;
  start_to_healthy_ms: number;
  idle_rss_mb: number;
  idle_seconds: number;
  goal_start_ms: number;
  goal_idle_rss_mb: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || !address) throw new Error("No port.");
  return address.port;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** Starts one node on `dataDir`, waits for health, idles, and stops it. */
async function startOnce(dataDir: string, idleSeconds: number): Promise<{ toHealthyMs: number; idleRssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ["--enable-source-maps", "packages/server/dist/cli.js", "start"], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", DATABASE_URL: "", REDIS_URL: "" },
    stdio: "ignore",
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`parley start exited with ${child.exitCode}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (performance.now() - started > 60_000) throw new Error("parley start was not healthy within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const toHealthyMs = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    return { toHealthyMs, idleRssMb: rssMb(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

export async function measureNodeFootprint(options: { idleSeconds: number }): Promise<NodeFootprintResult> {
  const built = spawnSync(process.execPath, ["scripts/ensure-built.mjs"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("Building Parley failed.");
  const dataDir = mkdtempSync(join(tmpdir(), "parley-footprint-"));
  try {
    const first = await startOnce(dataDir, options.idleSeconds);
    const again = await startOnce(dataDir, options.idleSeconds);
    return {
      first_start_to_healthy_ms: first.toHealthyMs,
      first_start_idle_rss_mb: first.idleRssMb,
      start_to_healthy_ms: again.toHealthyMs,
      idle_rss_mb: again.idleRssMb,
      idle_seconds: options.idleSeconds,
      goal_start_ms: 2000,
      goal_idle_rss_mb: 300,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
