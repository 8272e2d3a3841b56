/**
 * The server as `npm start` runs it: the bundle packages/server/build.mjs writes (dist/cli.js),
 * not the TypeScript sources every other test loads through tsx. What only the bundle can get
 * wrong: files looked up beside the code (migrations, the Redis heartbeat thread's script, the
 * API docs' assets, the widget and web app), and bundled dependencies that read files of their
 * own. With REDIS_URL set (CI sets it) the node runs scaled out, heartbeat thread and all.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, keysWithPrefix, testRedisUrl, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { eventually } from "./eventually.ts";
import { freePort, startParleyProcess, stopProcess } from "./processes.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const redisUrl = testRedisUrl();

describe("the built server, as npm start runs it", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-built-"));
  const prefix = uniqueTestPrefix();
  let child: ChildProcess;
  let base: string;
  let stdout = "";

  beforeAll(async () => {
    // `npm test` builds first (pretest); a direct vitest run may follow a source change.
    const built = spawnSync(process.execPath, ["scripts/ensure-built.mjs"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) throw new Error("Building Parley failed.");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = await startParleyProcess(dataDir, port, {
      built: true,
      stdout: "pipe",
      env: { LOG_LEVEL: "warn", ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }) },
    });
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  }, 120_000);

  afterAll(async () => {
    if (child) await stopProcess(child);
    if (redisUrl !== undefined) await deleteKeysWithPrefix(redisUrl, prefix).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports every dependency healthy", async () => {
    const health = await (await fetch(`${base}/api/v1/health`)).json();
    expect(health.status).toBe("ok");
    expect(Object.keys(health.checks).sort()).toEqual(redisUrl === undefined ? ["database", "jobs"] : ["database", "jobs", "redis"]);
  });

  it("accepts a Pusher connection on the app key its start-up banner prints", async () => {
    await eventually(() => expect(stdout).toMatch(/ws:\/\/\S+\/app\/\w+/));
    const url = stdout.match(/ws:\/\/\S+\/app\/\w+/)![0];
    const first = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(`${url}?protocol=7&client=js&version=8.4.0`);
      socket.once("message", (data) => {
        resolve(JSON.parse(String(data)).event);
        socket.close();
      });
      socket.once("error", reject);
    });
    expect(first).toBe("pusher:connection_established");
  });

  it.skipIf(redisUrl === undefined)("beats its Redis heartbeat from its own thread, so other nodes see it alive", async () => {
    await eventually(async () => expect((await keysWithPrefix(redisUrl!, prefix)).filter((key) => key.startsWith(`${prefix}node:`))).toHaveLength(1));
  });

  it("serves the API docs, the widget and the web app", async () => {
    const spec = await (await fetch(`${base}/api/docs/json`)).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.paths["/api/v1/health"]).toBeDefined();
    const docsPage = await fetch(`${base}/api/docs/static/index.html`);
    expect(docsPage.status).toBe(200);
    expect(await docsPage.text()).toContain("swagger-ui");
    const widget = await fetch(`${base}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toMatch(/javascript/);
    const webApp = await fetch(`${base}/`);
    expect(webApp.status).toBe(200);
    expect(await webApp.text()).toContain('<div id="app"');
  });

  it("answers bad input with its JSON error, not a crash", async () => {
    const response = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBeDefined();
  });

  it("logs no warning or error while starting and serving, and stops cleanly on SIGTERM", async () => {
    const warnings = () => stdout.split("\n").filter((line) => /"level":(40|50|60)/.test(line));
    expect(warnings()).toEqual([]);
    const exitCode = await stopProcess(child);
    // What the node logged while stopping (the step a missed deadline was on) says why, should it not exit 0.
    expect({ exitCode, warnings: warnings() }).toEqual({ exitCode: 0, warnings: [] });
  });
});
