/**
 * `parley worker`: a node that serves no HTTP runs the WhatsApp Web sessions of the nodes that
 * do, through the shared PostgreSQL (leases) and Redis (its events reach their agents). Needs
 * DATABASE_URL and REDIS_URL (CI sets both); skipped otherwise.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.ts";
import { startParley, type RunningParley } from "../src/main.ts";
import { SimulatedWhatsApp } from "../src/providers/whatsapp-web/simulated/network.ts";
import { deleteKeysWithPrefix, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { createPostgresDatabase } from "./databases.ts";
import { eventually } from "./eventually.ts";
import { startTestParley, type TestParley, workspacePath } from "./parley.ts";

const redisUrl = process.env["REDIS_URL"] || undefined;
const databaseUrl = process.env["DATABASE_URL"] || undefined;

describe.skipIf(redisUrl === undefined || databaseUrl === undefined)("a worker node", () => {
  const prefix = uniqueTestPrefix();
  let database: { url: string; drop(): Promise<void> };
  let web: TestParley;
  let worker: RunningParley;
  // One simulated WhatsApp for both nodes: the web node's sandbox phone reaches the worker's sessions.
  const network = new SimulatedWhatsApp();

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // The web node runs no sessions: every WhatsApp session goes to the worker.
    web = await startTestParley(
      { databaseUrl: database.url },
      { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix, WHATSAPP_MAX_SESSIONS: "0", PARLEY_SECRET_KEY: "b".repeat(64) },
      { sandboxNetwork: network },
    );
    const config = loadConfig({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: "memory://",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      SHUTDOWN_STAGGER_MS: "0",
      PARLEY_NODE_ID: "worker-1",
      PARLEY_SECRET_KEY: "b".repeat(64),
    });
    worker = await startParley(config, { logger: pino({ level: "silent" }), roles: ["worker"], sandboxNetwork: network });
  });

  afterAll(async () => {
    await worker?.close();
    await web?.stop();
    await deleteKeysWithPrefix(redisUrl!, prefix).catch(() => {});
    network.close();
    await database?.drop();
  });

  it("takes the WhatsApp sessions of inboxes created on a web node, whose agents see its QR", async () => {
    const { token, workspaceId } = await web.api.signup("worker");
    const created = await web.api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WA", provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
    expect(created.status).toBe(201);
    // The worker's next ownership round (every 10 s) takes it; the web node shows the QR it made.
    const inbox = await eventually(
      async () => {
        const found = (await web.api.get(`${workspacePath(workspaceId)}/inboxes/${created.body.id}`, token)).body;
        return found.status === "qr_ready" ? found : undefined;
      },
      { timeoutMs: 20_000, what: "the worker to show the QR" },
    );
    expect(inbox.qr.image_data_url).toMatch(/^data:image\/png;base64,/);
    // Restarting it from the web node is asked of the worker, which runs the session: a new QR.
    expect((await web.api.post(`${workspacePath(workspaceId)}/inboxes/${created.body.id}/restart`, {}, token)).status).toBe(204);
    await eventually(
      async () => {
        const found = (await web.api.get(`${workspacePath(workspaceId)}/inboxes/${created.body.id}`, token)).body;
        return found.status === "qr_ready" && found.qr.code !== inbox.qr.code ? found : undefined;
      },
      { timeoutMs: 10_000, what: "the worker to show a new QR after the restart" },
    );
    // A pairing code asked on the web node comes from the worker's session.
    const pairing = await web.api.post(`${workspacePath(workspaceId)}/inboxes/${created.body.id}/pairing-code`, { phone_number: "+6281111111111" }, token);
    expect(pairing.status).toBe(200);
    expect(pairing.body.code).toMatch(/^[A-Z0-9]{8}$/);
  });

  it("sends an agent's reply and read receipt from the web node through the worker's session", async () => {
    const { token, workspaceId } = await web.api.signup("worker-chat");
    const created = await web.api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WA", provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
    const inboxPath = `${workspacePath(workspaceId)}/inboxes/${created.body.id}`;
    const sandbox = `/api/v1/sandbox/${created.body.id}`;
    const statusIs = (status: string) =>
      eventually(async () => ((await web.api.get(inboxPath, token)).body.status === status ? true : undefined), {
        timeoutMs: 20_000,
        what: `the inbox ${status}`,
      });
    await statusIs("qr_ready");
    expect((await web.api.post(`${sandbox}/scan`, {}, token)).status).toBe(204);
    await statusIs("ready");
    const business = (await web.api.get(sandbox, token)).body.phone_number as string;
    const written = await web.api.post(`${sandbox}/messages`, { from: "+6281234567890", name: "Dewi", body: "Halo kak" }, token);
    const conversation = await eventually(async () => (await web.api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data[0], {
      what: "the customer's conversation",
    });
    const conversationPath = `${workspacePath(workspaceId)}/conversations/${conversation.id}`;

    // The agent opens the conversation on the web node: the worker's session sends the read receipt.
    const read = vi.spyOn(network, "read");
    expect((await web.api.post(`${conversationPath}/read`, {}, token)).status).toBeLessThan(300);
    await eventually(async () => (read.mock.calls.some(([reader, id]) => reader === business && id === written.body.provider_message_id) ? true : undefined), {
      what: "the customer's message marked read by the business",
    });

    const reply = await web.api.post(`${conversationPath}/messages`, { body: "Halo juga", client_message_id: "via-worker" }, token);
    const delivered = await eventually(
      async () => {
        const found = (await web.api.get(`${conversationPath}/messages`, token)).body.data.find((message: { id: string }) => message.id === reply.body.id);
        return found?.status === "delivered" ? found : undefined;
      },
      // Two hops through the job queue (the web node's send, routed to the worker's session
      // queue) and the phone's ack back: under a loaded CI this took longer than the default 10 s.
      { timeoutMs: 20_000, what: "the reply delivered" },
    );
    expect(delivered.sent_via).toBeNull();
    expect(network.history(business, "6281234567890@s.whatsapp.net").filter((message) => message.body === "Halo juga")).toHaveLength(1);
  });

  it("refuses to start without a shared database", async () => {
    await expect(startParley(loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent" }), { roles: ["worker"] })).rejects.toThrow(/DATABASE_URL/);
  });
});
