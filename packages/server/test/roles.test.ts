/**
 * `parley start --role`: a cluster that gives each kind of work its own nodes (node-roles.ts),
 * sharing PostgreSQL and Redis. An api node serves Parley's API and runs no jobs; a realtime
 * node serves WebSockets and the Pusher HTTP API; a worker runs the jobs. Each reports itself in
 * health and metrics. Needs DATABASE_URL and REDIS_URL; skipped otherwise (but the CLI check).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { channels } from "@parley/protocol/api";
import PusherServer from "pusher";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { createPostgresDatabase } from "./databases.ts";
import { eventually } from "./eventually.ts";
import { startTestParley, type TestParley, workspacePath } from "./parley.ts";
import { runCli } from "./processes.ts";
import { nextEvent, type PusherClient, pusherClient, subscribed } from "./pusher-clients.ts";

const redisUrl = process.env["REDIS_URL"] || undefined;
const databaseUrl = process.env["DATABASE_URL"] || undefined;

/** What a WebSocket to `/app/{key}` of `node` gets first: Pusher's first event, or how it was refused. */
function firstWebSocketAnswer(node: TestParley): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${node.url.replace("http", "ws")}/app/${node.realtimeApp.key}?protocol=7`);
    socket.once("message", (data) => {
      resolve(JSON.parse(String(data)).event);
      socket.close();
    });
    socket.once("unexpected-response", (_request, response) => resolve(`http ${response.statusCode}`));
    socket.once("error", () => resolve("refused"));
  });
}

describe.skipIf(redisUrl === undefined || databaseUrl === undefined)("a cluster split by role", () => {
  const prefix = uniqueTestPrefix();
  const shared = { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix, PARLEY_SECRET_KEY: "c".repeat(64) };
  let database: { url: string; drop(): Promise<void> };
  let api: TestParley;
  let realtime: TestParley;
  let worker: TestParley | undefined;
  const clients: PusherClient[] = [];
  let agent: { token: string; workspaceId: string };
  let conversationId: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    api = await startTestParley({ databaseUrl: database.url }, { ...shared, PARLEY_NODE_ID: "api-1" }, { roles: ["api"] });
    realtime = await startTestParley({ databaseUrl: database.url }, { ...shared, PARLEY_NODE_ID: "realtime-1" }, { roles: ["realtime"] });
    agent = await api.api.signup("roles");
    const inbox = await api.api.createWidgetInbox(agent.workspaceId, agent.token);
    conversationId = (await api.api.startVisitor(inbox.widget_key)).conversation.id;
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    for (const node of [worker, realtime, api]) await node?.stop();
    await deleteKeysWithPrefix(redisUrl!, prefix).catch(() => {});
    await database?.drop();
  });

  it("serves Parley's API on an api node, but no WebSocket and no Pusher HTTP API", async () => {
    expect((await api.api.get("/api/v1/realtime")).status).toBe(200);
    expect(await firstWebSocketAnswer(api)).not.toBe("pusher:connection_established");
    expect((await api.api.get(`/apps/${api.realtimeApp.id}/channels`)).status).toBe(404);
  });

  it("serves WebSockets and the Pusher HTTP API on a realtime node, but not Parley's API", async () => {
    expect(await firstWebSocketAnswer(realtime)).toBe("pusher:connection_established");
    const pusher = new PusherServer({ ...realtime.realtimeApp, appId: realtime.realtimeApp.id, host: "127.0.0.1", port: String(realtime.port), useTLS: false });
    expect((await pusher.get({ path: "/channels" })).status).toBe(200);
    expect((await realtime.api.post("/api/v1/auth/login", { email: "a@example.com", password: "whatever it is" })).status).toBe(404);
  });

  it("runs no jobs without a worker: a send is stored and waits, pending, in the queue", async () => {
    const client = pusherClient(realtime.url, realtime.realtimeApp.key, agent.token, api.url);
    clients.push(client);
    const workspaceChannel = await subscribed(client, channels.workspace(agent.workspaceId));
    const live = nextEvent(workspaceChannel, "message.sent");
    const sent = await api.api.post(
      `${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`,
      { body: "hello", client_message_id: "c-1" },
      agent.token,
    );
    expect(sent.status).toBe(201);
    // The agent on the realtime node sees it at once, through Redis.
    expect((await live).message.id).toBe(sent.body.id);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const thread = await api.api.get(`${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`, agent.token);
    expect(thread.body.data.find((message: { id: string }) => message.id === sent.body.id).status).toBe("pending");
    const metrics = await fetch(`${api.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^parley_jobs_waiting\{queue="messages.send"\} [1-9]/m);
  });

  it("runs the waiting jobs once a worker joins", async () => {
    worker = await startTestParley({ databaseUrl: database.url }, { ...shared, PARLEY_NODE_ID: "worker-1" }, { roles: ["worker"] });
    await eventually(
      async () => {
        const thread = await api.api.get(`${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`, agent.token);
        return thread.body.data.every((message: { status: string }) => message.status !== "pending");
      },
      { timeoutMs: 20_000, what: "the worker to send the waiting message" },
    );
  });

  it("reports each node's id, roles and view in health, beside its dependencies", async () => {
    const health = await realtime.api.get("/api/v1/health");
    expect(health.status).toBe(200);
    expect(health.body.node).toEqual({ id: "realtime-1", roles: ["realtime"], connections: 1, whatsapp_sessions: 0 });
    expect(Object.keys(health.body.checks).sort()).toEqual(["database", "jobs", "redis"]);
    expect((await api.api.get("/api/v1/health")).body.node).toMatchObject({ id: "api-1", roles: ["api"], connections: 0 });
  });

  it("labels each node's metrics with its id and roles, and its connections with their app", async () => {
    const metrics = await fetch(`${realtime.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain('parley_node_info{node_id="realtime-1",roles="realtime"} 1');
    expect(metrics).toContain(`parley_realtime_connections{app="${realtime.realtimeApp.id}"} 1`);
    expect(metrics).toMatch(/^parley_webhook_deliveries_waiting 0$/m);
    expect(metrics).toMatch(/^parley_whatsapp_sessions 0$/m);
  });
});

describe("the CLI", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-roles-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses an unknown role, naming it and the known ones", async () => {
    const run = await runCli(["start", "--role", "api,cache"], dataDir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Unknown role "cache"');
    expect(run.stderr).toContain("api, realtime, worker");
  });
});
