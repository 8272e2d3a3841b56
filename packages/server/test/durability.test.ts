/**
 * Nothing acknowledged is lost: the real `parley start` process is killed with SIGKILL while
 * visitors and an agent are sending, restarted on the same data directory, and every message
 * whose POST answered 2xx is there exactly once.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { ApiClient } from "./parley.ts";
import { freePort, startParleyProcess, stopProcess } from "./processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "parley-durability-"));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

it("keeps every acknowledged message, once, across a SIGKILL", { timeout: 180_000 }, async () => {
  const port = await freePort();
  child = await startParleyProcess(dataDir, port);
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
        const response = await api.post(
          path,
          { body: `message ${clientMessageId}`, client_message_id: clientMessageId },
          asAgent ? token : visitor.session_token,
        );
        if (response.status >= 200 && response.status < 300)
          acknowledged.push({ conversationId: visitor.conversation.id, clientMessageId, id: response.body.id });
      } catch {
        return; // the connection died with the process
      }
    }
  };
  const senders = [sender(0, false), sender(1, false), sender(2, false), sender(0, true)];
  while (acknowledged.length < 150) await new Promise((resolve) => setTimeout(resolve, 20));
  await stopProcess(child, "SIGKILL");
  sending = false;
  await Promise.all(senders);
  expect(acknowledged.length).toBeGreaterThanOrEqual(150);

  child = await startParleyProcess(dataDir, port);
  for (const visitor of visitors) {
    const stored: Array<{ id: string; client_message_id: string }> = [];
    let before: string | undefined;
    for (;;) {
      const page = await api.get(
        `/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversation.id}/messages?limit=100${before ? `&before=${before}` : ""}`,
        token,
      );
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
  expect(await stopProcess(child)).toBe(0);
  child = undefined;
});
