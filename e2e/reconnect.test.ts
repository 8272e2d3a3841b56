/**
 * The live layer across a server restart: the indicator goes Reconnecting then Live, messages
 * written while the agent's socket was down appear through the catch-up, and a reply that
 * failed while the server was down is sent by Retry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../packages/server/src/config.ts";
import { startParley, type RunningParley } from "../packages/server/src/main.ts";
import { ApiClient } from "../packages/server/test/parley.ts";
import {
  bubble,
  conversationRow,
  eventually,
  freePort,
  launchBrowser,
  recordFigures,
  requireWebBuild,
  screenshot,
  signedInContext,
  watchErrors,
} from "./support.ts";

const dataDir = mkdtempSync(join(tmpdir(), "parley-web-reconnect-"));
let browser: Browser;
let running: RunningParley | null = null;

/** Parley on `port` over the test's data directory (so a restart keeps everything). */
function start(port: number): Promise<RunningParley> {
  return startParley(
    loadConfig({
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      SHUTDOWN_STAGGER_MS: "0",
      RATE_LIMIT_PER_MINUTE: "100000",
      AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    }),
  );
}

async function stop(): Promise<void> {
  await running?.close();
  running = null;
}

beforeAll(async () => {
  requireWebBuild();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("shows Reconnecting then Live across a restart and catches up on what was missed", async () => {
  const port = await freePort();
  running = await start(port);
  const api = new ApiClient(running.url);
  const { token, workspaceId } = await api.signup("restart");
  const inbox = await api.createWidgetInbox(workspaceId, token);
  const visitor = await api.startVisitor(inbox.widget_key, { name: "Rita Restart" });
  const widgetPath = `/api/v1/widget/${inbox.widget_key}/messages`;
  await api.post(widgetPath, { body: "Is my order on its way?", client_message_id: "r-1" }, visitor.session_token);

  const context = await signedInContext(browser, token, workspaceId);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${running.url}/w/${workspaceId}/c/${visitor.conversation.id}`);
  await bubble(page, "Is my order on its way?").waitFor();
  await page.locator('[data-connection="live"]').waitFor();

  // The server goes away: the indicator says so.
  await stop();
  await page.locator('[data-connection="reconnecting"]').waitFor();
  await screenshot(page, "reconnecting");

  // A reply written now cannot be sent: it shows as failed with Retry.
  await page.getByTestId("composer").fill("Let me check that for you.");
  await page.getByTestId("composer").press("Enter");
  const reply = bubble(page, "Let me check that for you.");
  await eventually(() => reply.getByRole("img").getAttribute("aria-label")).toBe("Not sent");
  await reply.getByRole("button", { name: "Retry" }).waitFor();

  // Meanwhile the visitor writes, through a Parley the agent's browser is not connected to.
  const elsewhere = await start(await freePort());
  const elsewhereApi = new ApiClient(elsewhere.url);
  for (const [index, body] of ["Hello?", "Order #4411, placed on Monday"].entries()) {
    const sent = await elsewhereApi.post(widgetPath, { body, client_message_id: `r-offline-${index}` }, visitor.session_token);
    expect(sent.status).toBe(201);
  }
  await elsewhere.close();
  expect(await page.getByText("Order #4411, placed on Monday").count()).toBe(0);

  // Back on the original port: Live again, and the missed messages appear without a reload.
  running = await start(port);
  const restartedAt = Date.now();
  await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
  recordFigures({ live_again_after_restart_ms: Date.now() - restartedAt });
  await bubble(page, "Hello?").waitFor();
  await bubble(page, "Order #4411, placed on Monday").waitFor();
  await eventually(() => conversationRow(page, "Rita Restart").getByTestId("conversation-preview").textContent()).toBe("Order #4411, placed on Monday");
  expect(await bubble(page, "Is my order on its way?").count()).toBe(1);

  // Retry sends the failed reply, once.
  await reply.getByRole("button", { name: "Retry" }).click();
  await eventually(async () => ["Sent", "Delivered", "Read"].includes((await reply.getByRole("img").getAttribute("aria-label")) ?? "")).toBe(true);
  const stored = await new ApiClient(running.url).get(`/api/v1/workspaces/${workspaceId}/conversations/${visitor.conversation.id}/messages`, token);
  expect(stored.body.data.filter((message: { body: string }) => message.body === "Let me check that for you.")).toHaveLength(1);
  await screenshot(page, "after-reconnect");
  expect(errors).toEqual([]);
});
