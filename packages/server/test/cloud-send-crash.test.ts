/**
 * Issue 6, "Done means", crash: the real `parley start` process is killed with SIGKILL while 200
 * agent replies to a WhatsApp Cloud API customer are queued against a slow Graph API (the fake,
 * in this test process, so it outlives the child). After a restart on the same data directory
 * every reply reaches Meta and is `sent`; a reply is sent twice only if its send job was running
 * at the kill (Meta has no idempotency key), so repeats are bounded by the jobs then active, at
 * most the send queue's concurrency (4, jobs/handlers.ts).
 */
import { maxSendsInFlight } from "../src/jobs/handlers.ts";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { startFakeGraphApi, type FakeGraphApi } from "../src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { inbound, messageDelivery, signDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { eventually } from "./eventually.ts";
import { ApiClient, workspacePath } from "./parley.ts";
import { freePort, startParleyProcess, stopProcess } from "./processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "parley-cloud-crash-"));
const appSecret = "crash-test-app-secret";
const replies = 200;
/** The `messages.send` workers of one process (jobs/handlers.ts). */
const sendConcurrency = maxSendsInFlight("pglite");
let child: ChildProcess | undefined;
let fake: FakeGraphApi | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, any>;

/** The state of the `messages.send` jobs and of the replies in a stopped process's data directory. */
async function sendQueueOnDisk(): Promise<{ active: number; queued: number; pending: number }> {
  const database = await PGlite.create(dataDir);
  try {
    const jobs = await database.query<{ state: string; count: number }>(
      "select state, count(*)::int as count from pgboss.job where name = 'messages.send' group by state",
    );
    const count = (states: string[]) => jobs.rows.filter((row) => states.includes(row.state)).reduce((sum, row) => sum + row.count, 0);
    const pending = await database.query<{ count: number }>("select count(*)::int as count from messages where direction = 'outbound' and status = 'pending'");
    return { active: count(["active"]), queued: count(["created", "retry"]), pending: pending.rows[0]!.count };
  } finally {
    await database.close();
  }
}

it("sends every queued reply after a SIGKILL, repeating only the ones in flight", { timeout: 200_000 }, async () => {
  fake = await startFakeGraphApi();
  // ~4 sends per 250 ms: draining 200 replies takes > 12 s, so most are queued when the process dies.
  fake.setSendDelay(250);
  const graph = fake;
  // Text sends only: read receipts go to the same path.
  const sendRequests = () =>
    graph.requests.filter(
      (request) => request.method === "POST" && request.path === `/${graph.phoneNumberId}/messages` && (request.json as Json | null)?.["type"] === "text",
    );
  const bodyOf = (json: unknown) => String((json as Json | null)?.["text"]?.["body"]);

  const port = await freePort();
  child = await startParleyProcess(dataDir, port);
  const api = new ApiClient(`http://127.0.0.1:${port}`);
  const { token, workspaceId } = await api.signup("cloud-crash");
  const ws = workspacePath(workspaceId);
  const created = await api.post(
    `${ws}/inboxes`,
    {
      name: "WhatsApp",
      provider: "whatsapp_cloud",
      config: {
        phone_number_id: fake.phoneNumberId,
        waba_id: fake.wabaId,
        access_token: fake.accessToken,
        app_secret: appSecret,
        verify_token: "crash-verify",
        graph_base_url: fake.url,
      },
    },
    token,
  );
  expect(created.status).toBe(201);
  const delivery = JSON.stringify(messageDelivery({ waId: "5511987654321", name: "Bruna Alves" }, inbound.text("Where is my order?")));
  const webhook = await api.request("POST", new URL(created.body.webhook_url).pathname, {
    rawBody: delivery,
    headers: { "x-hub-signature-256": signDelivery(appSecret, delivery) },
  });
  expect(webhook.status).toBe(200);
  const conversation = await eventually(
    async () => ((await api.get(`${ws}/conversations`, token)).body.data as Json[]).find((item) => item["window"]?.["open"] === true),
    {
      timeoutMs: 20_000,
      what: "the customer's conversation with an open window",
    },
  );
  const messagesPath = `${ws}/conversations/${conversation["id"]}/messages`;

  // 200 replies, each with a unique text, posted 8 at a time; every one is acknowledged before the kill.
  const postingStartedAt = performance.now();
  const texts = Array.from({ length: replies }, (_, index) => `Order update ${index + 1} of ${replies}`);
  const acknowledged = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < texts.length) {
        const index = next++;
        const response = await api.post(messagesPath, { body: texts[index], client_message_id: `crash-${index}` }, token);
        if (response.status !== 201) throw new Error(`reply ${index} answered ${response.status}: ${JSON.stringify(response.body)}`);
        acknowledged.set(texts[index]!, response.body.id);
      }
    }),
  );
  expect(acknowledged.size).toBe(replies);
  const postingMs = Math.round(performance.now() - postingStartedAt);

  const awaitingMetaAtKill = sendRequests().filter((request) => request.status === 0).length;
  await stopProcess(child, "SIGKILL");
  child = undefined;
  const reachedBeforeRestart = new Set(sendRequests().map((request) => bodyOf(request.json)));
  const onDisk = await sendQueueOnDisk();
  console.log(
    `cloud send crash: ${replies} replies acknowledged in ${postingMs} ms, then killed with ${onDisk.queued} send jobs queued, ${onDisk.active} active (in flight), ${awaitingMetaAtKill} awaiting the Graph API's answer, ` +
      `${onDisk.pending} replies pending; ${reachedBeforeRestart.size} of ${replies} had reached the Graph API`,
  );
  // The scenario under test: the kill lands with most replies still queued.
  expect(onDisk.queued).toBeGreaterThanOrEqual(replies / 2);
  expect(onDisk.active).toBeLessThanOrEqual(sendConcurrency);

  const restartedAt = performance.now();
  child = await startParleyProcess(dataDir, port);
  const startMs = Math.round(performance.now() - restartedAt);
  await eventually(
    () => {
      const reached = new Set(sendRequests().map((request) => bodyOf(request.json)));
      return texts.every((text) => reached.has(text));
    },
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: "every reply to reach the Graph API",
    },
  );
  const thread = await eventually(
    async () => {
      const stored: Json[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await api.get(`${messagesPath}?limit=100${before ? `&before=${before}` : ""}`, token);
        stored.push(...(page.body.data as Json[]));
        if (!page.body.next_cursor) break;
        before = page.body.next_cursor;
      }
      const outbound = stored.filter((message) => message["direction"] === "outbound");
      return outbound.length >= replies && outbound.every((message) => message["status"] === "sent") ? outbound : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: "every reply to be sent" },
  );
  const drainedMs = Math.round(performance.now() - restartedAt);

  // Each acknowledged reply is stored once, sent, with the wamid Meta answered.
  expect(thread).toHaveLength(replies);
  const wamids = new Map(graph.sent().map((sent) => [sent.wamid, bodyOf(sent.body)]));
  for (const [text, id] of acknowledged) {
    const message = thread.find((item) => item["id"] === id);
    expect(message).toMatchObject({ body: text, status: "sent" });
    expect(wamids.get(message!["provider_message_id"])).toBe(text);
  }
  const timesSent = new Map<string, number>();
  for (const request of sendRequests()) timesSent.set(bodyOf(request.json), (timesSent.get(bodyOf(request.json)) ?? 0) + 1);
  for (const text of texts) expect(timesSent.get(text) ?? 0).toBeGreaterThanOrEqual(1);
  const repeated = [...timesSent.values()].filter((count) => count > 1).length;
  console.log(
    `cloud send crash: restarted in ${startMs} ms, all ${replies} sent ${drainedMs} ms after the restart began; ${repeated} sent twice (in flight at the kill: ${onDisk.active})`,
  );
  expect([...timesSent.keys()].sort()).toEqual([...texts].sort());
  expect(Math.max(...timesSent.values())).toBeLessThanOrEqual(2);
  expect(repeated).toBeLessThanOrEqual(onDisk.active);
  expect(repeated).toBeLessThanOrEqual(sendConcurrency);

  expect(await stopProcess(child)).toBe(0);
  child = undefined;
});
