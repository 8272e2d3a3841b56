/**
 * End to end with the official pusher-js client for both the agent and the visitor, on every
 * database engine available (PGlite always; PostgreSQL when DATABASE_URL is set, as in CI).
 */
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "./databases.ts";
import { startTestParley, type TestParley } from "./parley.ts";
import { nextEvent, pusherClient, subscribed, type PusherClient } from "./pusher-clients.ts";

describe.each(testEngines())("end to end on %s", (engine) => {
  let parley: TestParley;
  const clients: PusherClient[] = [];
  beforeAll(async () => {
    parley = await startTestParley(engine);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await parley?.stop();
  });

  it("carries messages, acks and typing between the agent and the visitor in real time", async () => {
    const api = parley.api;
    const { token, workspaceId } = await api.signup(`e2e-${engine}`);
    const inbox = await api.createWidgetInbox(workspaceId, token);
    const visitor = await api.startVisitor(inbox.widget_key, { name: "Visitor" });
    const conversationId = visitor.conversation.id;
    const widget = `/api/v1/widget/${inbox.widget_key}`;
    const realtime = (await api.get("/api/v1/realtime")).body;
    expect(visitor.realtime.app_key).toBe(realtime.app_key);

    const agent = pusherClient(parley.url, realtime.app_key, token);
    const visitorClient = pusherClient(parley.url, realtime.app_key, visitor.session_token);
    clients.push(agent, visitorClient);
    const workspaceChannel = await subscribed(agent, `private-workspace.${workspaceId}`);
    const conversationChannel = await subscribed(agent, `private-workspace.${workspaceId}.conversation.${conversationId}`);
    const presence = await subscribed(agent, `presence-workspace.${workspaceId}`);
    expect((presence as unknown as { members: { count: number } }).members.count).toBe(1);
    const visitorChannel = await subscribed(visitorClient, visitor.realtime.channel);

    // The widget shows agents as online while one is connected.
    expect((await api.get(`${widget}/config`)).body.agents_online).toBe(true);

    // Visitor → agent, on the workspace and the conversation channels.
    const onWorkspace = nextEvent(workspaceChannel, "message.received");
    const onConversation = nextEvent(conversationChannel, "message.received");
    const conversationCreated = nextEvent(workspaceChannel, "conversation.created");
    const sent = await api.post(`${widget}/messages`, { body: "Do you ship to Lisbon?", client_message_id: "visitor-1" }, visitor.session_token);
    expect(sent.status).toBe(201);
    expect((await onWorkspace).message).toMatchObject({
      id: sent.body.id,
      body: "Do you ship to Lisbon?",
      direction: "inbound",
      client_message_id: "visitor-1",
    });
    expect((await onConversation).message.id).toBe(sent.body.id);
    expect((await conversationCreated).conversation).toMatchObject({ id: conversationId, unread_count: 1 });

    // Agent → visitor.
    const replyOnVisitor = nextEvent(visitorChannel, "message.sent");
    const replyOnAgent = nextEvent(conversationChannel, "message.sent");
    const replySent = nextEvent(visitorChannel, "message.status.updated", (data) => data.status === "sent");
    const reply = await api.post(
      `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`,
      { body: "We do!", client_message_id: "agent-1" },
      token,
    );
    expect(reply.status).toBe(201);
    // The send job hands it to the widget provider, which puts it on the visitor's channel as sent.
    expect((await replyOnVisitor).message).toMatchObject({ id: reply.body.id, body: "We do!", status: "sent", client_message_id: "agent-1" });
    expect(await replySent).toMatchObject({ message_id: reply.body.id, status: "sent" });
    expect((await replyOnAgent).message.id).toBe(reply.body.id);

    // Idempotent resend: one row, no second broadcast.
    const resend = await api.post(
      `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`,
      { body: "We do!", client_message_id: "agent-1" },
      token,
    );
    expect(resend.status).toBe(200);
    expect(resend.body.id).toBe(reply.body.id);

    // Ticks: delivered, then read, reach the agent once each.
    const delivered = nextEvent(conversationChannel, "message.status.updated", (data) => data.status === "delivered");
    await api.post(`${widget}/delivered`, { up_to_message_id: reply.body.id }, visitor.session_token);
    expect(await delivered).toMatchObject({ message_id: reply.body.id, conversation_id: conversationId, client_message_id: "agent-1", status: "delivered" });
    const read = nextEvent(workspaceChannel, "message.status.updated", (data) => data.status === "read");
    await api.post(`${widget}/read`, { up_to_message_id: reply.body.id }, visitor.session_token);
    expect(await read).toMatchObject({ message_id: reply.body.id, status: "read", timestamp: expect.any(String) });

    // The agent opening the conversation turns the visitor's ticks blue.
    const visitorRead = nextEvent(visitorChannel, "message.status.updated", (data) => data.message_id === sent.body.id);
    await api.post(`/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/read`, {}, token);
    expect((await visitorRead).status).toBe("read");

    // Typing, both ways, through client events.
    const agentTypingSeen = nextEvent(visitorChannel, "typing");
    conversationChannel.trigger("client-typing", { is_typing: true, name: "Agent Smith" });
    expect(await agentTypingSeen).toMatchObject({ conversation_id: conversationId, is_typing: true, sender: { type: "agent", name: "Agent Smith" } });
    const visitorTypingSeen = nextEvent(conversationChannel, "typing");
    visitorChannel.trigger("client-typing", { is_typing: true });
    expect(await visitorTypingSeen).toMatchObject({ conversation_id: conversationId, is_typing: true, sender: { type: "contact" } });

    // Assigning the conversation tells the visitor who is taking care of them.
    const assigned = nextEvent(visitorChannel, "conversation.assigned");
    const me = (await api.get("/api/v1/auth/me", token)).body.user;
    await api.patch(`/api/v1/workspaces/${workspaceId}/conversations/${conversationId}`, { assignee_id: me.id }, token);
    expect(await assigned).toMatchObject({ conversation_id: conversationId, assignee: { id: me.id, name: me.name } });

    const thread = await api.get(`/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`, token);
    expect(thread.body.data.map((m: { client_message_id: string; status: string }) => [m.client_message_id, m.status])).toEqual([
      ["visitor-1", "read"],
      ["agent-1", "read"],
    ]);
  });

  it("refuses a wrong channel signature and another workspace's channel over the socket", async () => {
    const owner = await parley.api.signup(`sig-${engine}`);
    const intruder = await parley.api.signup(`sig-intruder-${engine}`);
    const intruderClient = pusherClient(parley.url, parley.realtimeApp.key, intruder.token);
    clients.push(intruderClient);
    await expect(subscribed(intruderClient, `private-workspace.${owner.workspaceId}`)).rejects.toThrow("refused");

    // A forged signature (not from /broadcasting/auth) is refused by the socket server itself.
    const socket = new WebSocket(`${parley.url.replace("http", "ws")}/app/${parley.realtimeApp.key}?protocol=7`);
    const frames: Array<{ event: string; data: unknown }> = [];
    socket.on("message", (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => socket.once("open", resolve));
    await expect.poll(() => frames.some((frame) => frame.event === "pusher:connection_established")).toBe(true);
    socket.send(
      JSON.stringify({
        event: "pusher:subscribe",
        data: { channel: `private-workspace.${owner.workspaceId}`, auth: `${parley.realtimeApp.key}:${"0".repeat(64)}` },
      }),
    );
    await expect.poll(() => frames.find((frame) => frame.event === "pusher:subscription_error" || frame.event === "pusher:error")).toBeTruthy();
    expect(frames.some((frame) => frame.event === "pusher_internal:subscription_succeeded")).toBe(false);
    socket.close();
  });

  it("closes a socket for an unknown app key with 4001", async () => {
    const socket = new WebSocket(`${parley.url.replace("http", "ws")}/app/not-our-key?protocol=7`);
    const code = await new Promise<number>((resolve) => socket.once("close", (closeCode) => resolve(closeCode)));
    expect(code).toBe(4001);
  });
});
