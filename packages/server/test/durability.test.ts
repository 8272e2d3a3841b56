/**
 * Nothing acknowledged is lost: the real `parley start` process is killed with SIGKILL while
 * visitors and an agent are sending, restarted on the same data directory, and every message
 * whose POST answered 2xx is there exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { ApiClient } from "./parley.ts";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "parley-durability-"));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `parley start` on the data directory and resolves once /api/v1/health answers 200. */
async function startProcess(port: number): Promise<ChildProcess> {
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "100000" };
  delete environment["DATABASE_URL"];
  delete environment["REDIS_URL"];
  const started = spawn(process.execPath, ["--import", "tsx", cli, "start"], { env: environment, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (started.exitCode !== null) throw new Error(`parley exited with ${started.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((response) => response.ok, () => false);
    if (healthy) return started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  started.kill("SIGKILL");
  throw new Error("parley did not become healthy within 60 s");
}

it("keeps every acknowledged message, once, across a SIGKILL", { timeout: 180_000 }, async () => {
  const port = await freePort();
  child = await startProcess(port);
  const api = new ApiClient(`http://127.0.0.1:${port}`);
  const { token, workspaceId } = await api.signup("durable");
  const inbox = await api.createWidgetInbox(workspaceId, token);
  const visitors = await Promise.all([0, 1, 2].map((index) => api.startVisitor(inbox.widget_key, { name: `D${index}` })));

  const acknowledged: Array<{ conversationId: string; clientMessageId: string; id: string }> = [];
  let sending = true;
  let sequence = 0;
  // Three visitors and the agent send as fast as they can until the process dies under them.
  const sender = async (visitorIndex: number, asAgent: boolean) => {
    const visitor = visitors[visitorIndex]!;
    while (sending) {
      const clientMessageId = `${asAgent ? "a" : "v"}${visitorIndex}-${sequence++}`;
      const path = asAgent
        ? `/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversation.id}/messages`
        : `/api/v1/widget/${inbox.widget_key}/messages`;
      try {
        const response = await api.post(path, { body: `message ${clientMessageId}`, client_message_id: clientMessageId }, asAgent ? token : visitor.session_token);
        if (response.status >= 200 && response.status < 300) acknowledged.push({ conversationId: visitor.conversation.id, clientMessageId, id: response.body.id });
      } catch {
        return; // the connection died with the process
      }
    }
  };
  const senders = [sender(0, false), sender(1, false), sender(2, false), sender(0, true)];
  while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill("SIGKILL");
  await new Promise((resolve) => child!.once("exit", resolve));
  sending = false;
  await Promise.all(senders);
  expect(acknowledged.length).toBeGreaterThanOrEqual(150);

  child = await startProcess(port);
  for (const visitor of visitors) {
    const stored: Array<{ id: string; client_message_id: string }> = [];
    let before: string | undefined;
    for (;;) {
      const page = await api.get(`/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversation.id}/messages?limit=100${before ? `&before=${before}` : ""}`, token);
      expect(page.status).toBe(200);
      stored.unshift(...page.body.data);
      if (!page.body.next_cursor) break;
      before = page.body.next_cursor;
    }
    const expected = acknowledged.filter((entry) => entry.conversationId === visitor.conversation.id);
    const storedIds = stored.map((message) => message.id);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    for (const entry of expected) expect(storedIds).toContain(entry.id);
    const clientIds = stored.map((message) => message.client_message_id);
    expect(new Set(clientIds).size).toBe(clientIds.length);
  }
  child.kill("SIGTERM");
  await new Promise((resolve) => child!.once("exit", resolve));
  child = undefined;
});
