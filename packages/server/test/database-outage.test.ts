/**
 * While PostgreSQL cannot be reached, requests answer 503 `service.unavailable` with Retry-After
 * (they answered 500 `internal`), and work again once it is back. The outage is a TCP proxy in
 * front of the shared PostgreSQL server that resets every connection, so other suites' databases
 * are untouched. Needs DATABASE_URL; skipped otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TcpProxy } from "../src/realtime/fanout/redis.testing.ts";
import { createPostgresDatabase } from "./databases.ts";
import { eventually } from "./eventually.ts";
import { startTestParley, type TestParley, workspacePath } from "./parley.ts";

const databaseUrl = process.env["DATABASE_URL"] || undefined;

describe.skipIf(databaseUrl === undefined)("while PostgreSQL is unreachable", () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let node: TestParley;
  let agent: { token: string; workspaceId: string };
  let conversationId: string;

  const send = (body: string) =>
    node.api.post(`${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`, { body, client_message_id: body }, agent.token);

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await TcpProxy.start(database.url);
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${new URL(proxy.url).port}`;
    node = await startTestParley({ databaseUrl: viaProxy.toString() });
    agent = await node.api.signup("outage");
    const inbox = await node.api.createWidgetInbox(agent.workspaceId, agent.token);
    conversationId = (await node.api.startVisitor(inbox.widget_key)).conversation.id;
    expect((await send("before")).status).toBe(201);
    proxy.cut();
  });

  afterAll(async () => {
    proxy.restore();
    await node?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it("answers a send 503 service.unavailable with Retry-After", async () => {
    const response = await send("during");
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("service.unavailable");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("reports the database down in health", async () => {
    const health = await node.api.get("/api/v1/health");
    expect(health.status).toBe(503);
    expect(health.body.checks.database.status).toBe("down");
  });

  it("sends again once PostgreSQL is back, without a restart", async () => {
    proxy.restore();
    await eventually(async () => (await send("after")).status === 201, { timeoutMs: 15_000, what: "a send to succeed again" });
    const thread = await node.api.get(`${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`, agent.token);
    expect(thread.body.data.map((message: { body: string }) => message.body)).toEqual(expect.arrayContaining(["before", "after"]));
    expect(thread.body.data.map((message: { body: string }) => message.body)).not.toContain("during");
  });
});
