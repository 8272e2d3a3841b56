/**
 * Running the real `parley` CLI as a child process, as an operator would, for tests that need a
 * process boundary (SIGKILL, restarts, CLI commands).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
/** The bundle `npm start` runs (packages/server/build.mjs). */
export const builtCli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment for a CLI run on an embedded database in `dataDir` (no DATABASE_URL/REDIS_URL). */
function cliEnvironment(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "100000" };
  // The test runner's own database and Redis are not the child's, unless a test passes them.
  delete environment["DATABASE_URL"];
  delete environment["REDIS_URL"];
  return { ...environment, ...extra };
}

/** Runs `parley <args>` to completion; resolves with its exit code and output. */
export async function runCli(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { env: cliEnvironment(dataDir), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}

/**
 * Starts `parley start` on `dataDir` and `port`; resolves once /api/v1/health answers 200 (≤ 60 s).
 * `options.stdout: "pipe"` gives the test the reading end of its stdout (default: discarded);
 * `options.env` adds variables (LOG_LEVEL...); `options.built` runs the bundle as `npm start` does
 * instead of the TypeScript sources.
 */
export async function startParleyProcess(
  dataDir: string,
  port: number,
  options: { stdout?: "ignore" | "pipe"; env?: Record<string, string>; built?: boolean } = {},
): Promise<ChildProcess> {
  const entry = options.built ? ["--enable-source-maps", builtCli] : ["--import", "tsx", cli];
  const started = spawn(process.execPath, [...entry, "start"], {
    env: cliEnvironment(dataDir, { PORT: String(port), HOST: "127.0.0.1", ...options.env }),
    stdio: ["ignore", options.stdout ?? "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (started.exitCode !== null) throw new Error(`parley exited with ${started.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  started.kill("SIGKILL");
  throw new Error("parley did not become healthy within 60 s");
}

/** Sends `signal` and resolves with the exit code once the process is gone. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill(signal);
  return exited;
}
