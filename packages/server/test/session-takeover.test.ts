/**
 * One owner per WhatsApp Web session across nodes (issue 7 part 4): two nodes on one PostgreSQL
 * share a simulated WhatsApp; the node running a sandbox session is killed (no lease handed
 * back, nothing logged out); an agent's reply written meanwhile waits in the session's queue;
 * the other node takes the session over from its stored credentials, without a new QR, and the
 * reply reaches the customer once. Needs DATABASE_URL (CI sets it); skipped otherwise.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { startParley, type RunningParley } from "../src/main.ts";
import { SimulatedWhatsApp } from "../src/providers/whatsapp-web/simulated/network.ts";
import { createPostgresDatabase } from "./databases.ts";
import { eventually } from "./eventually.ts";
import { ApiClient, workspacePath } from "./parley.ts";

const databaseUrl = process.env["DATABASE_URL"] || undefined;
const customer = "+6281234567890";
const customerJid = "6281234567890@s.whatsapp.net";
/** Short leases, so the takeover happens within seconds (production default: 30 s). */
const leaseTtlMs = 3_000;

describe.skipIf(databaseUrl === undefined)("a WhatsApp Web session whose node dies", () => {
  const network = new SimulatedWhatsApp();
  let database: { url: string; drop(): Promise<void> };
  const nodes: RunningParley[] = [];

  async function node(id: string, overrides: Record<string, string> = {}): Promise<{ parley: RunningParley; api: ApiClient }> {
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: "memory://",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
      SHUTDOWN_STAGGER_MS: "0",
      RATE_LIMIT_PER_MINUTE: "100000",
      AUTH_RATE_LIMIT_PER_MINUTE: "100000",
      // Both nodes open each other's sealed session credentials.
      PARLEY_SECRET_KEY: "a".repeat(64),
      PARLEY_NODE_ID: id,
      WHATSAPP_LEASE_TTL_MS: String(leaseTtlMs),
      ...overrides,
    });
    const parley = await startParley(config, { logger: pino({ level: config.logLevel }), sandboxNetwork: network });
    nodes.push(parley);
    return { parley, api: new ApiClient(parley.url) };
  }

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const parley of nodes) await parley.close().catch(() => {});
    network.close();
    await database?.drop();
  });

  it("moves to another node without a new QR, and a reply queued meanwhile is sent once", async () => {
    // Node A alone: the session is its own.
    const a = await node("node-a");
    const { token, workspaceId } = await a.api.signup("takeover");
    const created = await a.api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WA", provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
    const inboxPath = `${workspacePath(workspaceId)}/inboxes/${created.body.id}`;
    const sandbox = `/api/v1/sandbox/${created.body.id}`;
    const statusOn = (api: ApiClient, status: string) =>
      eventually(async () => ((await api.get(inboxPath, token)).body.status === status ? true : undefined), { timeoutMs: 20_000, what: `the inbox ${status}` });
    await statusOn(a.api, "qr_ready");
    expect((await a.api.post(`${sandbox}/scan`, {}, token)).status).toBe(204);
    await statusOn(a.api, "ready");
    expect((await a.api.post(`${sandbox}/messages`, { from: customer, name: "Dewi", body: "Halo kak" }, token)).status).toBe(201);
    const conversation = await eventually(async () => (await a.api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data[0]);
    const messagesPath = `${workspacePath(workspaceId)}/conversations/${conversation.id}/messages`;

    // Node B joins; the session stays on A while A renews its lease.
    const b = await node("node-b");
    await new Promise((resolve) => setTimeout(resolve, leaseTtlMs));
    expect(network.devicesOf((await a.api.get(sandbox, token)).body.phone_number)).toHaveLength(1);

    // A dies. The agent, now served by B, replies before B has the session.
    await a.parley.kill();
    const reply = await b.api.post(messagesPath, { body: "Halo juga kak, ada yang bisa dibantu?", client_message_id: "after-kill" }, token);
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe("pending");

    // B takes the session over from its stored credentials: ready again, never a QR.
    const statuses: string[] = [];
    const sent = await eventually(
      async () => {
        const inbox = (await b.api.get(inboxPath, token)).body;
        statuses.push(inbox.status);
        const found = (await b.api.get(messagesPath, token)).body.data.find((message: { id: string }) => message.id === reply.body.id);
        return found && found.status !== "pending" ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: "the queued reply to be sent from node B" },
    );
    expect(sent.status).toMatch(/^(sent|delivered)$/);
    expect(statuses).not.toContain("qr_ready");
    expect((await b.api.get(inboxPath, token)).body).toMatchObject({ status: "ready", qr: null });

    // The customer has it exactly once, and a second reply goes straight through B.
    const onPhone = async () =>
      (await b.api.get(`${sandbox}/chats/${encodeURIComponent(customerJid)}/messages`, token)).body.data as Array<{ body: string | null }>;
    expect((await onPhone()).filter((message) => message.body === "Halo juga kak, ada yang bisa dibantu?")).toHaveLength(1);
    const second = await b.api.post(messagesPath, { body: "Stok masih ada", client_message_id: "after-takeover" }, token);
    await eventually(async () => ((await onPhone()).some((message) => message.body === "Stok masih ada") ? true : undefined));
    expect(second.status).toBe(201);
    expect((await onPhone()).filter((message) => message.body === "Halo juga kak, ada yang bisa dibantu?")).toHaveLength(1);
  });
});
