/**
 * Scaled out: Parley nodes sharing one PostgreSQL database and one Redis (ARCHITECTURE.md
 * "Topology"), driven with the official pusher-js client: messages cross nodes, presence is one
 * list on every node, and nodes that stop — gracefully or by losing Redis — take their agents'
 * presence with them. Needs REDIS_URL and DATABASE_URL (CI sets both); skipped otherwise.
 */
import { Redis } from "ioredis";
import PusherServer from "pusher";
import { channels } from "@parley/protocol/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REDIS_FANOUT_DEFAULTS } from "../src/realtime/fanout/redis.ts";
import { deleteKeysWithPrefix, keysWithPrefix, TcpProxy, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { createPostgresDatabase } from "./databases.ts";
import { startTestParley, type TestParley } from "./parley.ts";
import { nextEvent, pusherClient, subscribed, type PusherClient } from "./pusher-clients.ts";

const redisUrl = process.env["REDIS_URL"] || undefined;
const databaseUrl = process.env["DATABASE_URL"] || undefined;

/**
 * A dead node's members go once its heartbeat expires (REDIS_FANOUT_DEFAULTS.heartbeatTtlMs after
 * its last beat, at most an interval before it died) plus a sweep: the design's bound, with an
 * interval of slack for a loaded machine.
 */
const SWEEP_BOUND_MS = REDIS_FANOUT_DEFAULTS.heartbeatTtlMs + REDIS_FANOUT_DEFAULTS.heartbeatIntervalMs;

describe.skipIf(redisUrl === undefined || databaseUrl === undefined)("Parley on two nodes sharing PostgreSQL and Redis", () => {
  const prefix = uniqueTestPrefix();
  let database: { url: string; drop(): Promise<void> };
  let nodeA: TestParley;
  let nodeB: TestParley;
  const otherNodes: TestParley[] = [];
  const clients: PusherClient[] = [];
  const proxies: TcpProxy[] = [];

  const startNode = (redis = redisUrl!) => startTestParley({ databaseUrl: database.url }, { REDIS_URL: redis, REDIS_KEY_PREFIX: prefix });

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // One after the other: the first migrates and creates the shared Pusher app credentials.
    nodeA = await startNode();
    nodeB = await startNode();
  });

  afterEach(() => {
    // pusher-js reconnects to a stopped node forever; disconnect before anything stops.
    for (const client of clients.splice(0)) client.disconnect();
  });

  afterAll(async () => {
    for (const node of [...otherNodes, nodeB, nodeA]) await node?.stop();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await database?.drop();
    if (redisUrl !== undefined) await deleteKeysWithPrefix(redisUrl, prefix);
  });

  const connect = (node: TestParley, token: string) => {
    const client = pusherClient(node.url, node.realtimeApp.key, token);
    clients.push(client);
    return client;
  };

  /** Adds an agent to the workspace (through node A) and logs them in (through node B). */
  async function addAgent(workspaceId: string, ownerToken: string, name: string): Promise<{ userId: string; token: string }> {
    const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`;
    const added = await nodeA.api.post(`/api/v1/workspaces/${workspaceId}/members`, { email, role: "agent", name, password: "agent password" }, ownerToken);
    expect(added.status).toBe(201);
    const login = await nodeB.api.post("/api/v1/auth/login", { email, password: "agent password" });
    return { userId: added.body.user_id, token: login.body.token };
  }

  const membersCount = (channel: unknown) => (channel as { members: { count: number } }).members.count;

  /** The Pusher HTTP API of `node`, through the official server SDK. */
  const httpApi = (node: TestParley) =>
    new PusherServer({
      appId: node.realtimeApp.id,
      key: node.realtimeApp.key,
      secret: node.realtimeApp.secret,
      host: "127.0.0.1",
      port: String(node.port),
      useTLS: false,
    });

  it("shares the database and the Pusher app credentials", () => {
    expect(nodeB.realtimeApp).toEqual(nodeA.realtimeApp);
  });

  it("carries a visitor message posted to node B to the agent on node A, and the reply posted to node A to the visitor on node B", async () => {
    const { token, workspaceId } = await nodeA.api.signup("relay");
    const inbox = await nodeA.api.createWidgetInbox(workspaceId, token);
    const visitor = await nodeB.api.startVisitor(inbox.widget_key, { name: "Visitor" });
    const conversationId = visitor.conversation.id;

    const workspaceChannel = await subscribed(connect(nodeA, token), channels.workspace(workspaceId));
    const visitorChannel = await subscribed(connect(nodeB, visitor.session_token), visitor.realtime.channel);

    const received = nextEvent(workspaceChannel, "message.received");
    const sent = await nodeB.api.post(
      `/api/v1/widget/${inbox.widget_key}/messages`,
      { body: "Hello from node B", client_message_id: "v-1" },
      visitor.session_token,
    );
    expect(sent.status).toBe(201);
    expect((await received).message).toMatchObject({ id: sent.body.id, body: "Hello from node B", direction: "inbound", client_message_id: "v-1" });

    const reply = nextEvent(visitorChannel, "message.sent");
    const posted = await nodeA.api.post(
      `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`,
      { body: "Hi from node A", client_message_id: "a-1" },
      token,
    );
    expect(posted.status).toBe(201);
    expect((await reply).message).toMatchObject({ id: posted.body.id, body: "Hi from node A", client_message_id: "a-1" });
  });

  it("keeps one presence list on both nodes: agents_online on B for an agent on A, two members everywhere, member_removed on A when B's agent leaves", async () => {
    const owner = await nodeA.api.signup("presence");
    const inbox = await nodeA.api.createWidgetInbox(owner.workspaceId, owner.token);
    const agentsOnlineOnB = async () => (await nodeB.api.get(`/api/v1/widget/${inbox.widget_key}/config`)).body.agents_online;
    const presence = channels.presence(owner.workspaceId);
    expect(await agentsOnlineOnB()).toBe(false);

    const onA = await subscribed(connect(nodeA, owner.token), presence);
    expect(await agentsOnlineOnB()).toBe(true);

    const bea = await addAgent(owner.workspaceId, owner.token, "Bea");
    const added = nextEvent(onA, "pusher:member_added");
    const onB = await subscribed(connect(nodeB, bea.token), presence);
    expect((await added).id).toBe(bea.userId);
    expect(membersCount(onA)).toBe(2);
    expect(membersCount(onB)).toBe(2);
    for (const node of [nodeA, nodeB]) {
      expect((await node.realtime.presenceMembers(presence)).map((m) => m.id).sort()).toEqual([owner.userId, bea.userId].sort());
      const info = await (await httpApi(node).get({ path: `/channels/${presence}`, params: { info: "user_count,subscription_count" } })).json();
      expect(info).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
    }

    const removed = nextEvent(onA, "pusher:member_removed");
    clients.at(-1)!.disconnect();
    expect((await removed).id).toBe(bea.userId);
    expect(membersCount(onA)).toBe(1);
    expect((await nodeB.realtime.presenceMembers(presence)).map((m) => m.id)).toEqual([owner.userId]);
  });

  it("announces member_removed on node A when a node with a connected agent is stopped", async () => {
    const owner = await nodeA.api.signup("graceful");
    const presence = channels.presence(owner.workspaceId);
    const onA = await subscribed(connect(nodeA, owner.token), presence);
    const nodeC = await startNode();
    otherNodes.push(nodeC);
    const cem = await addAgent(owner.workspaceId, owner.token, "Cem");
    const added = nextEvent(onA, "pusher:member_added");
    await subscribed(connect(nodeC, cem.token), presence);
    expect((await added).id).toBe(cem.userId);

    const removed = nextEvent(onA, "pusher:member_removed");
    await nodeC.stop();
    expect((await removed).id).toBe(cem.userId);
    expect((await nodeA.realtime.presenceMembers(presence)).map((m) => m.id)).toEqual([owner.userId]);
  });

  it("removes everywhere, within the heartbeat TTL plus a sweep, the agents of a node cut off Redis, which reports itself unhealthy", async () => {
    const proxy = await TcpProxy.start(redisUrl!);
    proxies.push(proxy);
    const admin = new Redis(redisUrl!);
    try {
      const before = new Set(await admin.smembers(`${prefix}nodes`));
      const nodeD = await startNode(proxy.url);
      otherNodes.push(nodeD);
      const nodeDId = (await admin.smembers(`${prefix}nodes`)).find((id) => !before.has(id));
      expect(nodeDId).toBeDefined();

      const owner = await nodeA.api.signup("swept");
      const presence = channels.presence(owner.workspaceId);
      const onA = await subscribed(connect(nodeA, owner.token), presence);
      const dee = await addAgent(owner.workspaceId, owner.token, "Dee");
      const added = nextEvent(onA, "pusher:member_added");
      await subscribed(connect(nodeD, dee.token), presence);
      expect((await added).id).toBe(dee.userId);
      expect((await nodeD.api.get("/api/v1/health")).status).toBe(200);

      // Node D loses Redis, as other nodes see a dead one: its heartbeat stops and expires.
      const removed = nextEvent(onA, "pusher:member_removed", () => true, 2 * SWEEP_BOUND_MS);
      proxy.cut();
      const cutAt = performance.now();
      expect((await removed).id).toBe(dee.userId);
      expect(performance.now() - cutAt).toBeLessThan(SWEEP_BOUND_MS);
      expect(await admin.exists(`${prefix}node:${nodeDId}`)).toBe(0);
      expect((await nodeB.realtime.presenceMembers(presence)).map((m) => m.id)).toEqual([owner.userId]);

      await expect.poll(async () => (await nodeD.api.get("/api/v1/health")).status).toBe(503);
      const health = await nodeD.api.get("/api/v1/health");
      expect(health.body.checks.redis.status).toBe("down");
      expect(health.body.checks.database.status).toBe("ok");
    } finally {
      await admin.quit();
    }
  });

  it("leaves no keys behind once every node stopped gracefully, but rate-limit counters that expire", async () => {
    for (const client of clients.splice(0)) client.disconnect();
    for (const node of [...otherNodes.splice(0), nodeB, nodeA]) await node.stop();
    const left = await keysWithPrefix(redisUrl!, prefix);
    const counters = left.filter((key) => key.startsWith(`${prefix}rate-limit:`));
    expect(left.filter((key) => !counters.includes(key))).toEqual([]);
    // A client's per-minute budget is shared by every node, so it outlives any one of them; it
    // expires with its window.
    const inspector = new Redis(redisUrl!);
    try {
      for (const key of counters) {
        const ttlMs = await inspector.pttl(key);
        expect(ttlMs).toBeGreaterThan(0);
        expect(ttlMs).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await inspector.quit();
    }
    // Stopped above; nothing left for afterAll to stop.
    nodeA = nodeB = undefined as unknown as TestParley;
  });
});
