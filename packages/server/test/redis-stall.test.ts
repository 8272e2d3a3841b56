/**
 * A stalled Redis (a vanished host: nothing answers, nothing is reset) costs real-time delivery
 * to other nodes, never the API. Before, every send waited for Redis's 5 s command timeout, and
 * the widget's config for the agents' presence as long. Skipped without REDIS_URL.
 */
import { channels } from "@parley/protocol/api";
import type { Channel } from "pusher-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, TcpProxy, testRedisUrl, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { startTestParley, type TestParley, workspacePath } from "./parley.ts";
import { connected, nextEvent, type PusherClient, pusherClient, subscribed } from "./pusher-clients.ts";

const redisUrl = testRedisUrl();

describe.skipIf(redisUrl === undefined)("while Redis stalls", () => {
  const prefix = uniqueTestPrefix();
  let proxy: TcpProxy;
  let node: TestParley;
  let client: PusherClient | undefined;
  let agent: { token: string; workspaceId: string };
  let inbox: { widget_key: string };
  let conversationId: string;
  let workspaceChannel: Channel;

  const send = (body: string) =>
    node.api.post(`${workspacePath(agent.workspaceId)}/conversations/${conversationId}/messages`, { body, client_message_id: body }, agent.token);

  beforeAll(async () => {
    proxy = await TcpProxy.start(redisUrl!);
    node = await startTestParley("pglite", { REDIS_URL: proxy.url, REDIS_KEY_PREFIX: prefix });
    agent = await node.api.signup("stall");
    inbox = await node.api.createWidgetInbox(agent.workspaceId, agent.token);
    conversationId = (await node.api.startVisitor(inbox.widget_key)).conversation.id;
    client = pusherClient(node.url, node.realtimeApp.key, agent.token);
    await connected(client);
    workspaceChannel = await subscribed(client, channels.workspace(agent.workspaceId));
    expect((await send("before")).status).toBe(201);
    proxy.stall();
  });

  afterAll(async () => {
    client?.disconnect();
    proxy.restore();
    await node?.stop();
    await proxy.close();
    await deleteKeysWithPrefix(redisUrl!, prefix);
  });

  it("answers sends at once, and this node's agents still get them live", async () => {
    const timings: number[] = [];
    for (const body of ["during-1", "during-2", "during-3"]) {
      const live = nextEvent(workspaceChannel, "message.sent", (data: { message: { client_message_id: string } }) => data.message.client_message_id === body);
      const started = performance.now();
      const response = await send(body);
      timings.push(performance.now() - started);
      expect(response.status).toBe(201);
      await live;
    }
    // The first may still wait the rate limiter's 500 ms, after which its connection is dropped
    // and the next requests skip it at once.
    expect(timings[0]).toBeLessThan(1500);
    expect(Math.max(...timings.slice(1))).toBeLessThan(500);
    const metrics = await fetch(`${node.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^parley_broadcasts_pending [1-9]/m);
  });

  it("answers the widget's config at once, with the agents shown offline", async () => {
    const started = performance.now();
    const config = await node.api.get(`/api/v1/widget/${inbox.widget_key}/config`);
    expect(config.status).toBe(200);
    expect(config.body.agents_online).toBe(false);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
