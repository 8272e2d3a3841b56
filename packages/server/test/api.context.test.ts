/** The conversation context: figures checked against times computed by hand, cache invalidated by new messages. */
import { conversationContextSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { newId } from "../src/domain/ids.ts";
import { messages } from "../src/store/schema/index.ts";
import { useTestApp } from "./app.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

describe("conversation context", () => {
  it("counts, times the first and average responses per customer turn, and says since when the customer waits", async () => {
    const { api, database } = parley();
    const { token, workspaceId, userId } = await api.signup("context");
    const inbox = await api.createWidgetInbox(workspaceId, token);
    const visitor = await api.startVisitor(inbox.widget_key, { name: "Sari" });
    const at = (time: string) => new Date(`2026-01-05T${time}Z`);
    const thread: [string, "inbound" | "outbound", "contact" | "agent" | "system", number | null][] = [
      ["09:00:00", "inbound", "contact", -0.6],
      ["09:00:40", "inbound", "contact", null],
      ["09:03:10", "outbound", "agent", null], // answers the turn that began 09:00:00: 190 s
      ["09:04:00", "outbound", "system", null], // a system note counts nowhere
      ["09:10:00", "inbound", "contact", 0.2],
      ["09:10:45", "outbound", "agent", null], // 45 s
      ["09:11:00", "outbound", "agent", null],
      ["09:20:00", "inbound", "contact", 0.8], // unanswered: waiting since 09:20:00
    ];
    await database.db.insert(messages).values(
      thread.map(([time, direction, senderType, sentiment]) => ({
        id: newId(at(time)),
        workspaceId,
        inboxId: inbox.id,
        conversationId: visitor.conversation.id,
        direction,
        senderType,
        senderId: senderType === "agent" ? userId : senderType === "contact" ? visitor.contact.id : null,
        body: `${direction} at ${time}`,
        status: "sent" as const,
        sentiment,
        createdAt: at(time),
      })),
    );
    const path = `${ws(workspaceId)}/conversations/${visitor.conversation.id}/context`;
    const first = await api.get(path, token);
    expect(first.status).toBe(200);
    expect(conversationContextSchema.parse(first.body)).toEqual(first.body);
    expect(first.body.conversation).toEqual({
      message_count: 7,
      inbound_count: 4,
      outbound_count: 3,
      first_message_at: "2026-01-05T09:00:00.000Z",
      last_message_at: "2026-01-05T09:20:00.000Z",
      first_response_seconds: 190,
      average_response_seconds: 118, // (190 + 45) / 2 = 117.5, rounded
      waiting_since: "2026-01-05T09:20:00.000Z",
    });
    expect(first.body.customer).toMatchObject({
      name: "Sari",
      phone: null,
      interaction_count: 8,
      sentiment_trend: [
        { at: "2026-01-05T09:00:00.000Z", score: expect.closeTo(-0.6, 5) },
        { at: "2026-01-05T09:10:00.000Z", score: expect.closeTo(0.2, 5) },
        { at: "2026-01-05T09:20:00.000Z", score: expect.closeTo(0.8, 5) },
      ],
    });
    expect(first.body.business).toEqual({
      inbox: { id: inbox.id, name: "Website", provider: "web_widget" },
      assignee: null,
      labels: [],
      custom_attributes: {},
    });

    // An agent's reply changes the figures at once (the cached context is not served).
    const reply = await api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, { body: "On it!", client_message_id: "r1" }, token);
    expect(reply.status).toBe(201);
    const after = (await api.get(path, token)).body;
    expect(after.conversation).toMatchObject({ message_count: 8, outbound_count: 4, waiting_since: null, last_message_at: reply.body.created_at });
    const waited = Math.round((Date.parse(reply.body.created_at) - at("09:20:00").getTime()) / 1000);
    expect(after.conversation.average_response_seconds).toBe(Math.round((190 + 45 + waited) / 3));

    // Labels and the assignee show on the business side.
    await api.post(`${ws(workspaceId)}/labels`, { name: "VIP" }, token);
    await api.request("PUT", `${ws(workspaceId)}/conversations/${visitor.conversation.id}/labels`, { token, json: { labels: ["VIP"] } });
    await api.patch(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, { assignee_id: userId }, token);
    const business = (await api.get(path, token)).body.business;
    expect(business).toMatchObject({ labels: ["VIP"], assignee: { id: userId } });
  });

  it("is empty for a conversation without messages, and 404 for another workspace's", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("context-empty");
    const inbox = await api.createWidgetInbox(workspaceId, token);
    const visitor = await api.startVisitor(inbox.widget_key);
    const body = (await api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/context`, token)).body;
    expect(body.conversation).toEqual({
      message_count: 0,
      inbound_count: 0,
      outbound_count: 0,
      first_message_at: null,
      last_message_at: null,
      first_response_seconds: null,
      average_response_seconds: null,
      waiting_since: null,
    });
    const other = await api.signup("context-other");
    const foreign = await api.get(`${ws(other.workspaceId)}/conversations/${visitor.conversation.id}/context`, other.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("conversations.not_found");
  });
});
