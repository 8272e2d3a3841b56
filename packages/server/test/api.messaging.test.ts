/** The HTTP API: conversations, messages, members, contacts, search (through inject(), no port). */
import { conversationSchema, inboxSchema, messageSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

const ws = workspacePath;

describe("messaging over the API", () => {
  it("carries a visitor message to the agent and the reply back, idempotently", async () => {
    const { token, workspaceId } = await parley().api.signup("flow");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    expect(inbox).toMatchObject({ workspace_id: workspaceId, provider: "web_widget", status: "ready", widget_key: expect.stringMatching(/^wk_/) });
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Vera", email: "vera@example.com" });
    expect(visitor.realtime.channel).toBe(`private-visitor.${visitor.conversation.id}`);
    const widget = `/api/v1/widget/${inbox.widget_key}`;

    // An empty conversation does not clutter the inbox.
    expect((await parley().api.get(`${ws(workspaceId)}/conversations`, token)).body.data).toEqual([]);

    const sent = await parley().api.post(`${widget}/messages`, { body: "Hello, is this in stock?", client_message_id: "v-1" }, visitor.session_token);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ direction: "inbound", status: "sent", sender: { type: "contact", id: visitor.contact.id } });
    const again = await parley().api.post(`${widget}/messages`, { body: "Hello, is this in stock?", client_message_id: "v-1" }, visitor.session_token);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(sent.body.id);

    const list = await parley().api.get(`${ws(workspaceId)}/conversations`, token);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      id: visitor.conversation.id,
      unread_count: 1,
      contact: { name: "Vera" },
      last_message: { body: "Hello, is this in stock?" },
    });

    const reply = await parley().api.post(
      `${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`,
      { body: "Yes!", client_message_id: "a-1" },
      token,
    );
    expect(reply.status).toBe(201);
    // Stored with its send job first; the job confirms it (the widget has it from the broadcast).
    expect(reply.body).toMatchObject({ direction: "outbound", status: "pending", client_message_id: "a-1" });
    await eventually(
      async () =>
        (await parley().api.get(`${widget}/messages`, visitor.session_token)).body.data.find((m: { id: string }) => m.id === reply.body.id)?.status === "sent",
      { what: "the reply to be sent" },
    );
    const replyAgain = await parley().api.post(
      `${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`,
      { body: "Yes!", client_message_id: "a-1" },
      token,
    );
    expect(replyAgain.status).toBe(200);
    expect(replyAgain.body.id).toBe(reply.body.id);

    const polled = await parley().api.get(`${widget}/messages?after=${sent.body.id}`, visitor.session_token);
    expect(polled.body.data.map((m: { id: string }) => m.id)).toEqual([reply.body.id]);

    expect((await parley().api.post(`${widget}/delivered`, { up_to_message_id: reply.body.id }, visitor.session_token)).status).toBe(204);
    expect((await parley().api.post(`${widget}/read`, { up_to_message_id: reply.body.id }, visitor.session_token)).status).toBe(204);
    // A late "delivered" after "read" does not move the status back.
    await parley().api.post(`${widget}/delivered`, { up_to_message_id: reply.body.id }, visitor.session_token);
    const thread = await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    expect(thread.body.data.map((m: { body: string; status: string }) => [m.body, m.status])).toEqual([
      ["Hello, is this in stock?", "sent"],
      ["Yes!", "read"],
    ]);
    expect(thread.body.data[1].read_at).not.toBeNull();
    expect(thread.body.data[1].delivered_at).not.toBeNull();

    const read = await parley().api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/read`, {}, token);
    expect(read.body.unread_count).toBe(0);
    const visitorView = await parley().api.get(`${widget}/messages`, visitor.session_token);
    expect(visitorView.body.data[0].status).toBe("read");
  });

  it("pages messages with before/limit and conversations with a cursor", async () => {
    const { token, workspaceId } = await parley().api.signup("pages");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitors = [];
    for (let index = 0; index < 3; index++) {
      const visitor = await parley().api.startVisitor(inbox.widget_key, { name: `P${index}` });
      await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `hi ${index}`, client_message_id: `p-${index}` }, visitor.session_token);
      visitors.push(visitor);
    }
    const first = await parley().api.get(`${ws(workspaceId)}/conversations?limit=2`, token);
    expect(first.body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(["P2", "P1"]);
    const second = await parley().api.get(`${ws(workspaceId)}/conversations?limit=2&cursor=${first.body.next_cursor}`, token);
    expect(second.body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(["P0"]);
    expect(second.body.next_cursor).toBeNull();
    expect((await parley().api.get(`${ws(workspaceId)}/conversations?cursor=garbage`, token)).status).toBe(400);

    const conversationId = visitors[0]!.conversation.id;
    for (let index = 0; index < 4; index++) {
      await parley().api.post(`${ws(workspaceId)}/conversations/${conversationId}/messages`, { body: `r${index}`, client_message_id: `r-${index}` }, token);
    }
    const newest = await parley().api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2`, token);
    expect(newest.body.data.map((m: { body: string }) => m.body)).toEqual(["r2", "r3"]);
    const older = await parley().api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2&before=${newest.body.next_cursor}`, token);
    expect(older.body.data.map((m: { body: string }) => m.body)).toEqual(["r0", "r1"]);
    const oldest = await parley().api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2&before=${older.body.next_cursor}`, token);
    expect(oldest.body.data.map((m: { body: string }) => m.body)).toEqual(["hi 0"]);
    expect(oldest.body.next_cursor).toBeNull();
  });

  it("lets a viewer read but not send (403), and manages members by role", async () => {
    const { token, workspaceId } = await parley().api.signup("roles");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "hello", client_message_id: "x" }, visitor.session_token);
    const email = `viewer-${Date.now()}@example.com`;
    const added = await parley().api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token);
    expect(added.status).toBe(201);
    const viewerToken = (await parley().api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    expect((await parley().api.get(`${ws(workspaceId)}/conversations`, viewerToken)).body.data).toHaveLength(1);
    const send = await parley().api.post(
      `${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`,
      { body: "nope", client_message_id: "v" },
      viewerToken,
    );
    expect(send.status).toBe(403);
    expect(send.body.error.code).toBe("auth.forbidden");
    expect((await parley().api.post(`${ws(workspaceId)}/inboxes`, { name: "x", provider: "web_widget" }, viewerToken)).status).toBe(403);
    const thread = await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    expect(thread.body.data).toHaveLength(1);

    const members = await parley().api.get(`${ws(workspaceId)}/members`, token);
    expect(members.body.data.map((m: { role: string }) => m.role).sort()).toEqual(["owner", "viewer"]);
    const ownerId = members.body.data.find((m: { role: string }) => m.role === "owner").user_id;
    const demoteLastOwner = await parley().api.patch(`${ws(workspaceId)}/members/${ownerId}`, { role: "agent" }, token);
    expect(demoteLastOwner.status).toBe(409);
    const promoted = await parley().api.patch(`${ws(workspaceId)}/members/${added.body.user_id}`, { role: "agent" }, token);
    expect(promoted.body.role).toBe("agent");
  });

  it("updates status and assignee, and filters by them", async () => {
    const { token, workspaceId, userId } = await parley().api.signup("patch");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Pat" });
    await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "help", client_message_id: "h" }, visitor.session_token);
    const patched = await parley().api.patch(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, { status: "resolved", assignee_id: userId }, token);
    expect(patched.body).toMatchObject({ status: "resolved", assignee_id: userId });
    expect((await parley().api.get(`${ws(workspaceId)}/conversations?status=open`, token)).body.data).toEqual([]);
    expect((await parley().api.get(`${ws(workspaceId)}/conversations?assignee_id=${userId}`, token)).body.data).toHaveLength(1);
    expect((await parley().api.get(`${ws(workspaceId)}/conversations?assignee_id=none`, token)).body.data).toEqual([]);
    const stranger = await parley().api.signup("stranger");
    const badAssignee = await parley().api.patch(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, { assignee_id: stranger.userId }, token);
    expect(badAssignee.status).toBe(400);
    // The customer writing again reopens a resolved conversation.
    await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "still there?", client_message_id: "h2" }, visitor.session_token);
    expect((await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, token)).body.status).toBe("open");
  });

  it("searches conversations by contact and by message text, and catches up with updated_after", async () => {
    const { token, workspaceId } = await parley().api.signup("search");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const lisbon = await parley().api.startVisitor(inbox.widget_key, { name: "Luisa" });
    const paris = await parley().api.startVisitor(inbox.widget_key, { name: "Pierre" });
    const widget = `/api/v1/widget/${inbox.widget_key}`;
    await parley().api.post(`${widget}/messages`, { body: "Do you ship to Lisbon, Portugal?", client_message_id: "l" }, lisbon.session_token);
    await parley().api.post(`${widget}/messages`, { body: "Bonjour, what are your hours?", client_message_id: "p" }, paris.session_token);
    const names = async (q: string) =>
      (await parley().api.get(`${ws(workspaceId)}/conversations?q=${encodeURIComponent(q)}`, token)).body.data.map(
        (c: { contact: { name: string } }) => c.contact.name,
      );
    expect(await names("lisb")).toEqual(["Luisa"]);
    expect(await names("portugal ship")).toEqual(["Luisa"]);
    expect(await names("pierre")).toEqual(["Pierre"]);
    expect(await names("hours")).toEqual(["Pierre"]);
    expect(await names("nothing-like-this")).toEqual([]);
    expect(await names("'):* & !")).toEqual([]);

    const inboxes = await parley().api.get(`${ws(workspaceId)}/inboxes`, token);
    expect(inboxes.body.data[0].unread_count).toBe(2);
    const listed = (await parley().api.get(`${ws(workspaceId)}/conversations`, token)).body.data[0];
    expect(listed).toMatchObject({ group: null, contact: { jid: null }, inbox: { id: inbox.id, name: "Website", provider: "web_widget" } });
    // A website visitor has no WhatsApp JID.
    expect(listed.last_message.sender).toMatchObject({ type: "contact", name: "Pierre", jid: null });

    const before = new Date(Date.now() - 1000).toISOString();
    await parley().api.post(`${ws(workspaceId)}/conversations/${lisbon.conversation.id}/read`, {}, token);
    const changed = await parley().api.get(
      `${ws(workspaceId)}/conversations/${lisbon.conversation.id}/messages?updated_after=${encodeURIComponent(before)}`,
      token,
    );
    expect(changed.body.data.map((m: { status: string }) => m.status)).toEqual(["read"]);
    const visitorChanges = await parley().api.get(`${widget}/messages?updated_after=${encodeURIComponent(before)}`, lisbon.session_token);
    expect(visitorChanges.body.data.map((m: { status: string }) => m.status)).toEqual(["read"]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await parley().api.get(`${ws(workspaceId)}/conversations?updated_after=${encodeURIComponent(later)}`, token)).body.data).toEqual([]);
  });

  it("answers in the wire contract's shapes, with the Cloud API fields empty for a widget", async () => {
    const { token, workspaceId } = await parley().api.signup("shapes");
    const inbox = inboxSchema.parse(await parley().api.createWidgetInbox(workspaceId, token));
    expect(inbox).toMatchObject({ webhook_url: null, config: null });
    const visitor = await parley().api.startVisitor(inbox.widget_key!, { name: "Sol" });
    const sent = await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "Hola", client_message_id: "s-1" }, visitor.session_token);
    const message = messageSchema.parse(sent.body);
    expect(message).toMatchObject({ type: "text", provider_message_id: null, media: null, template: null, location: null, contacts: null });
    const listed = await parley().api.get(`${ws(workspaceId)}/conversations`, token);
    // The agent's copy may already carry the enrichment that the visitor's never shows.
    expect({ ...conversationSchema.parse(listed.body.data[0]).last_message, enrichment: null }).toEqual(message);
  });

  it("quotes the message a reply answers and names senders", async () => {
    const { token, workspaceId } = await parley().api.signup("quotes");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Quinn" });
    const question = await parley().api.post(
      `/api/v1/widget/${inbox.widget_key}/messages`,
      { body: "Is it waterproof?", client_message_id: "q" },
      visitor.session_token,
    );
    const path = `${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`;
    const answer = await parley().api.post(path, { body: "Yes, to 50 m.", client_message_id: "a", reply_to_id: question.body.id }, token);
    expect(answer.status).toBe(201);
    expect(answer.body.sender).toMatchObject({ type: "agent", name: "quotes owner" });
    expect(answer.body.reply_to).toEqual({
      id: question.body.id,
      type: "text",
      body: "Is it waterproof?",
      sender: { type: "contact", id: visitor.contact.id, name: "Quinn", jid: null },
    });
    const other = await parley().api.startVisitor(inbox.widget_key);
    const foreign = await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "other", client_message_id: "o" }, other.session_token);
    const invalid = await parley().api.post(path, { body: "x", client_message_id: "b", reply_to_id: foreign.body.id }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe("reply_to_id");
    expect((await parley().api.get(path, token)).body.data).toHaveLength(2);
  });

  it("records when a visitor was last seen, for the contact's online state", async () => {
    const { token, workspaceId } = await parley().api.signup("seen");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Sina" });
    const contactPath = `${ws(workspaceId)}/contacts/${visitor.contact.id}`;
    expect((await parley().api.get(contactPath, token)).body.last_seen_at).toBeNull();
    await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    const seen = (await parley().api.get(contactPath, token)).body.last_seen_at;
    expect(Date.now() - Date.parse(seen)).toBeLessThan(60_000);
  });

  it("finds contacts by name", async () => {
    const { token, workspaceId } = await parley().api.signup("contacts");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Margaret Hamilton", email: "mh@example.com" });
    await parley().api.startVisitor(inbox.widget_key, { name: "Someone Else" });
    const found = await parley().api.get(`${ws(workspaceId)}/contacts?q=hamil`, token);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([visitor.contact.id]);
    expect((await parley().api.get(`${ws(workspaceId)}/contacts/${visitor.contact.id}`, token)).body.email).toBe("mh@example.com");
  });
});
