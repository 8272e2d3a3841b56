/**
 * The HTTP API against a real Parley (PGlite in memory): auth, tenancy, messaging, the widget
 * API, and bad input that must get a clear error and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/domain/ids.ts";
import { messages } from "../src/store/schema/index.ts";
import { startTestParley, type TestParley } from "./parley.ts";

let parley: TestParley;
beforeAll(async () => {
  parley = await startTestParley("pglite", { BODY_LIMIT_BYTES: "65536" });
});
afterAll(async () => {
  await parley?.stop();
});

const ws = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

describe("auth", () => {
  it("signs up, logs in, knows who you are, and logs out", async () => {
    const email = `ada-${Date.now()}@Example.com`;
    const signup = await parley.api.post("/api/v1/auth/signup", { name: "Ada", email, password: "analytical engine", workspace_name: "Ada's Shop" });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ user: { name: "Ada", email: email.toLowerCase() }, workspace: { name: "Ada's Shop", slug: expect.stringMatching(/^adas-shop/) } });
    expect(signup.body.token).toMatch(/^pat_/);

    const login = await parley.api.post("/api/v1/auth/login", { email: email.toUpperCase(), password: "analytical engine" });
    expect(login.status).toBe(200);
    expect(login.body.workspaces).toEqual([{ id: signup.body.workspace.id, name: "Ada's Shop", slug: signup.body.workspace.slug, role: "owner" }]);

    const me = await parley.api.get("/api/v1/auth/me", login.body.token);
    expect(me.body.user.id).toBe(signup.body.user.id);

    expect((await parley.api.post("/api/v1/auth/logout", {}, login.body.token)).status).toBe(204);
    expect((await parley.api.get("/api/v1/auth/me", login.body.token)).status).toBe(401);
    expect((await parley.api.get("/api/v1/auth/me", signup.body.token)).status).toBe(200);
  });

  it("creates, lists and revokes named tokens, and a revoked token stops working", async () => {
    const { token } = await parley.api.signup("tokens");
    const created = await parley.api.post("/api/v1/auth/tokens", { name: "CRM sync" }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "CRM sync", token: expect.stringMatching(/^pat_/) });
    const listed = await parley.api.get("/api/v1/auth/tokens", token);
    expect(listed.body.data.map((t: { name: string }) => t.name)).toEqual(["CRM sync", "signup"]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await parley.api.get("/api/v1/auth/me", created.body.token)).status).toBe(200);
    expect((await parley.api.request("DELETE", `/api/v1/auth/tokens/${created.body.id}`, { token })).status).toBe(204);
    expect((await parley.api.get("/api/v1/auth/me", created.body.token)).status).toBe(401);
    const other = await parley.api.signup("tokens-other");
    const otherToken = (await parley.api.get("/api/v1/auth/tokens", other.token)).body.data[0].id;
    expect((await parley.api.request("DELETE", `/api/v1/auth/tokens/${otherToken}`, { token })).status).toBe(404);
    expect((await parley.api.get("/api/v1/auth/me", other.token)).status).toBe(200);
  });

  it("refuses a wrong password, a taken e-mail and a short password", async () => {
    const email = `grace-${Date.now()}@example.com`;
    await parley.api.post("/api/v1/auth/signup", { name: "Grace", email, password: "cobol rocks!", workspace_name: "Navy" });
    const wrong = await parley.api.post("/api/v1/auth/login", { email, password: "fortran" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("auth.invalid_credentials");
    const unknown = await parley.api.post("/api/v1/auth/login", { email: "nobody@example.com", password: "whatever1" });
    expect(unknown.status).toBe(401);
    const taken = await parley.api.post("/api/v1/auth/signup", { name: "G2", email, password: "another one", workspace_name: "X" });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "users.email_taken", field: "email" });
    const short = await parley.api.post("/api/v1/auth/signup", { name: "S", email: `s-${Date.now()}@example.com`, password: "short", workspace_name: "X" });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe("password");
  });

  it("answers 401 without a token or with a made-up one", async () => {
    const { workspaceId } = await parley.api.signup("tokenless");
    expect((await parley.api.get(`${ws(workspaceId)}/conversations`)).status).toBe(401);
    const bogus = await parley.api.get(`${ws(workspaceId)}/conversations`, "pat_not-a-real-token");
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe("auth.invalid_token");
  });
});

describe("bad input changes nothing", () => {
  it("answers malformed JSON with a 400, not a 500", async () => {
    const response = await parley.api.request("POST", "/api/v1/auth/signup", { rawBody: '{"name": "x",' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("request.malformed_json");
  });

  it("names the missing or wrong field", async () => {
    const missing = await parley.api.post("/api/v1/auth/signup", { name: "x", password: "long enough", workspace_name: "y" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe("email");
    const { token, workspaceId } = await parley.api.signup("fields");
    const badProvider = await parley.api.post(`${ws(workspaceId)}/inboxes`, { name: "x", provider: "telegram" }, token);
    expect(badProvider.status).toBe(400);
    expect(badProvider.body.error.field).toBe("provider");
    expect((await parley.api.get(`${ws(workspaceId)}/inboxes`, token)).body.data).toEqual([]);
  });

  it("refuses an oversized body with 413", async () => {
    const { token, workspaceId } = await parley.api.signup("big");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key);
    const response = await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "x".repeat(70_000), client_message_id: "big-1" }, visitor.session_token);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("request.too_large");
    const history = await parley.api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    expect(history.body.data).toEqual([]);
  });

  it("refuses an unknown widget key (404) and a bad session token (401)", async () => {
    const { token, workspaceId } = await parley.api.signup("widgetbad");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const other = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key);
    expect((await parley.api.post("/api/v1/widget/wk_nope/sessions", {})).status).toBe(404);
    expect((await parley.api.get(`/api/v1/widget/${inbox.widget_key}/messages`, "wst_forged")).status).toBe(401);
    expect((await parley.api.get(`/api/v1/widget/${inbox.widget_key}/messages`)).status).toBe(401);
    // A real session token used on another widget is refused too.
    expect((await parley.api.get(`/api/v1/widget/${other.widget_key}/messages`, visitor.session_token)).status).toBe(401);
    const empty = await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "   ", client_message_id: "e1" }, visitor.session_token);
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe("body");
    expect((await parley.api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token)).body.data).toEqual([]);
  });

  it("lets the widget call its API and channel auth from customers' sites (CORS)", async () => {
    for (const path of ["/api/v1/widget/wk_any/messages", "/broadcasting/auth"]) {
      const preflight = await fetch(`${parley.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    }
    // Agent endpoints are not opened to other origins.
    const agentPreflight = await fetch(`${parley.url}/api/v1/auth/login`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(agentPreflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await parley.api.get("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("route.not_found");
  });
});

describe("messaging over the API", () => {
  it("carries a visitor message to the agent and the reply back, idempotently", async () => {
    const { token, workspaceId } = await parley.api.signup("flow");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    expect(inbox).toMatchObject({ workspace_id: workspaceId, provider: "web_widget", status: "ready", widget_key: expect.stringMatching(/^wk_/) });
    const visitor = await parley.api.startVisitor(inbox.widget_key, { name: "Vera", email: "vera@example.com" });
    expect(visitor.realtime.channel).toBe(`private-visitor.${visitor.conversation.id}`);
    const widget = `/api/v1/widget/${inbox.widget_key}`;

    // An empty conversation does not clutter the inbox.
    expect((await parley.api.get(`${ws(workspaceId)}/conversations`, token)).body.data).toEqual([]);

    const sent = await parley.api.post(`${widget}/messages`, { body: "Hello, is this in stock?", client_message_id: "v-1" }, visitor.session_token);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ direction: "inbound", status: "sent", sender: { type: "contact", id: visitor.contact.id } });
    const again = await parley.api.post(`${widget}/messages`, { body: "Hello, is this in stock?", client_message_id: "v-1" }, visitor.session_token);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(sent.body.id);

    const list = await parley.api.get(`${ws(workspaceId)}/conversations`, token);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ id: visitor.conversation.id, unread_count: 1, contact: { name: "Vera" }, last_message: { body: "Hello, is this in stock?" } });

    const reply = await parley.api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, { body: "Yes!", client_message_id: "a-1" }, token);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ direction: "outbound", status: "sent", client_message_id: "a-1" });
    const replyAgain = await parley.api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, { body: "Yes!", client_message_id: "a-1" }, token);
    expect(replyAgain.status).toBe(200);
    expect(replyAgain.body.id).toBe(reply.body.id);

    const polled = await parley.api.get(`${widget}/messages?after=${sent.body.id}`, visitor.session_token);
    expect(polled.body.data.map((m: { id: string }) => m.id)).toEqual([reply.body.id]);

    expect((await parley.api.post(`${widget}/delivered`, { up_to_message_id: reply.body.id }, visitor.session_token)).status).toBe(204);
    expect((await parley.api.post(`${widget}/read`, { up_to_message_id: reply.body.id }, visitor.session_token)).status).toBe(204);
    // A late "delivered" after "read" does not move the status back.
    await parley.api.post(`${widget}/delivered`, { up_to_message_id: reply.body.id }, visitor.session_token);
    const thread = await parley.api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    expect(thread.body.data.map((m: { body: string; status: string }) => [m.body, m.status])).toEqual([
      ["Hello, is this in stock?", "sent"],
      ["Yes!", "read"],
    ]);
    expect(thread.body.data[1].read_at).not.toBeNull();
    expect(thread.body.data[1].delivered_at).not.toBeNull();

    const read = await parley.api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/read`, {}, token);
    expect(read.body.unread_count).toBe(0);
    const visitorView = await parley.api.get(`${widget}/messages`, visitor.session_token);
    expect(visitorView.body.data[0].status).toBe("read");
  });

  it("pages messages with before/limit and conversations with a cursor", async () => {
    const { token, workspaceId } = await parley.api.signup("pages");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitors = [];
    for (let index = 0; index < 3; index++) {
      const visitor = await parley.api.startVisitor(inbox.widget_key, { name: `P${index}` });
      await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `hi ${index}`, client_message_id: `p-${index}` }, visitor.session_token);
      visitors.push(visitor);
    }
    const first = await parley.api.get(`${ws(workspaceId)}/conversations?limit=2`, token);
    expect(first.body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(["P2", "P1"]);
    const second = await parley.api.get(`${ws(workspaceId)}/conversations?limit=2&cursor=${first.body.next_cursor}`, token);
    expect(second.body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(["P0"]);
    expect(second.body.next_cursor).toBeNull();
    expect((await parley.api.get(`${ws(workspaceId)}/conversations?cursor=garbage`, token)).status).toBe(400);

    const conversationId = visitors[0]!.conversation.id;
    for (let index = 0; index < 4; index++) {
      await parley.api.post(`${ws(workspaceId)}/conversations/${conversationId}/messages`, { body: `r${index}`, client_message_id: `r-${index}` }, token);
    }
    const newest = await parley.api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2`, token);
    expect(newest.body.data.map((m: { body: string }) => m.body)).toEqual(["r2", "r3"]);
    const older = await parley.api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2&before=${newest.body.next_cursor}`, token);
    expect(older.body.data.map((m: { body: string }) => m.body)).toEqual(["r0", "r1"]);
    const oldest = await parley.api.get(`${ws(workspaceId)}/conversations/${conversationId}/messages?limit=2&before=${older.body.next_cursor}`, token);
    expect(oldest.body.data.map((m: { body: string }) => m.body)).toEqual(["hi 0"]);
    expect(oldest.body.next_cursor).toBeNull();
  });

  it("lets a viewer read but not send (403), and manages members by role", async () => {
    const { token, workspaceId } = await parley.api.signup("roles");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key);
    await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "hello", client_message_id: "x" }, visitor.session_token);
    const email = `viewer-${Date.now()}@example.com`;
    const added = await parley.api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token);
    expect(added.status).toBe(201);
    const viewerToken = (await parley.api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    expect((await parley.api.get(`${ws(workspaceId)}/conversations`, viewerToken)).body.data).toHaveLength(1);
    const send = await parley.api.post(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, { body: "nope", client_message_id: "v" }, viewerToken);
    expect(send.status).toBe(403);
    expect(send.body.error.code).toBe("auth.forbidden");
    expect((await parley.api.post(`${ws(workspaceId)}/inboxes`, { name: "x", provider: "web_widget" }, viewerToken)).status).toBe(403);
    const thread = await parley.api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    expect(thread.body.data).toHaveLength(1);

    const members = await parley.api.get(`${ws(workspaceId)}/members`, token);
    expect(members.body.data.map((m: { role: string }) => m.role).sort()).toEqual(["owner", "viewer"]);
    const ownerId = members.body.data.find((m: { role: string }) => m.role === "owner").user_id;
    const demoteLastOwner = await parley.api.patch(`${ws(workspaceId)}/members/${ownerId}`, { role: "agent" }, token);
    expect(demoteLastOwner.status).toBe(409);
    const promoted = await parley.api.patch(`${ws(workspaceId)}/members/${added.body.user_id}`, { role: "agent" }, token);
    expect(promoted.body.role).toBe("agent");
  });

  it("updates status and assignee, and filters by them", async () => {
    const { token, workspaceId, userId } = await parley.api.signup("patch");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key, { name: "Pat" });
    await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "help", client_message_id: "h" }, visitor.session_token);
    const patched = await parley.api.patch(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, { status: "resolved", assignee_id: userId }, token);
    expect(patched.body).toMatchObject({ status: "resolved", assignee_id: userId });
    expect((await parley.api.get(`${ws(workspaceId)}/conversations?status=open`, token)).body.data).toEqual([]);
    expect((await parley.api.get(`${ws(workspaceId)}/conversations?assignee_id=${userId}`, token)).body.data).toHaveLength(1);
    expect((await parley.api.get(`${ws(workspaceId)}/conversations?assignee_id=none`, token)).body.data).toEqual([]);
    const stranger = await parley.api.signup("stranger");
    const badAssignee = await parley.api.patch(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, { assignee_id: stranger.userId }, token);
    expect(badAssignee.status).toBe(400);
    // The customer writing again reopens a resolved conversation.
    await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "still there?", client_message_id: "h2" }, visitor.session_token);
    expect((await parley.api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}`, token)).body.status).toBe("open");
  });

  it("searches conversations by contact and by message text, and catches up with updated_after", async () => {
    const { token, workspaceId } = await parley.api.signup("search");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const lisbon = await parley.api.startVisitor(inbox.widget_key, { name: "Luisa" });
    const paris = await parley.api.startVisitor(inbox.widget_key, { name: "Pierre" });
    const widget = `/api/v1/widget/${inbox.widget_key}`;
    await parley.api.post(`${widget}/messages`, { body: "Do you ship to Lisbon, Portugal?", client_message_id: "l" }, lisbon.session_token);
    await parley.api.post(`${widget}/messages`, { body: "Bonjour, what are your hours?", client_message_id: "p" }, paris.session_token);
    const names = async (q: string) =>
      (await parley.api.get(`${ws(workspaceId)}/conversations?q=${encodeURIComponent(q)}`, token)).body.data.map((c: { contact: { name: string } }) => c.contact.name);
    expect(await names("lisb")).toEqual(["Luisa"]);
    expect(await names("portugal ship")).toEqual(["Luisa"]);
    expect(await names("pierre")).toEqual(["Pierre"]);
    expect(await names("hours")).toEqual(["Pierre"]);
    expect(await names("nothing-like-this")).toEqual([]);
    expect(await names("'):* & !")).toEqual([]);

    const inboxes = await parley.api.get(`${ws(workspaceId)}/inboxes`, token);
    expect(inboxes.body.data[0].unread_count).toBe(2);
    const listed = (await parley.api.get(`${ws(workspaceId)}/conversations`, token)).body.data[0];
    expect(listed).toMatchObject({ participant_count: 0, inbox: { id: inbox.id, name: "Website", provider: "web_widget" } });
    expect(listed.last_message.sender.name).toBe("Pierre");

    const before = new Date(Date.now() - 1000).toISOString();
    await parley.api.post(`${ws(workspaceId)}/conversations/${lisbon.conversation.id}/read`, {}, token);
    const changed = await parley.api.get(`${ws(workspaceId)}/conversations/${lisbon.conversation.id}/messages?updated_after=${encodeURIComponent(before)}`, token);
    expect(changed.body.data.map((m: { status: string }) => m.status)).toEqual(["read"]);
    const visitorChanges = await parley.api.get(`${widget}/messages?updated_after=${encodeURIComponent(before)}`, lisbon.session_token);
    expect(visitorChanges.body.data.map((m: { status: string }) => m.status)).toEqual(["read"]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await parley.api.get(`${ws(workspaceId)}/conversations?updated_after=${encodeURIComponent(later)}`, token)).body.data).toEqual([]);
  });

  it("quotes the message a reply answers and names senders", async () => {
    const { token, workspaceId } = await parley.api.signup("quotes");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key, { name: "Quinn" });
    const question = await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "Is it waterproof?", client_message_id: "q" }, visitor.session_token);
    const path = `${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`;
    const answer = await parley.api.post(path, { body: "Yes, to 50 m.", client_message_id: "a", reply_to_id: question.body.id }, token);
    expect(answer.status).toBe(201);
    expect(answer.body.sender).toMatchObject({ type: "agent", name: "quotes owner" });
    expect(answer.body.reply_to).toEqual({ id: question.body.id, type: "text", body: "Is it waterproof?", sender: { type: "contact", id: visitor.contact.id, name: "Quinn" } });
    const other = await parley.api.startVisitor(inbox.widget_key);
    const foreign = await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "other", client_message_id: "o" }, other.session_token);
    const invalid = await parley.api.post(path, { body: "x", client_message_id: "b", reply_to_id: foreign.body.id }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe("reply_to_id");
    expect((await parley.api.get(path, token)).body.data).toHaveLength(2);
  });

  it("finds contacts by name", async () => {
    const { token, workspaceId } = await parley.api.signup("contacts");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key, { name: "Margaret Hamilton", email: "mh@example.com" });
    await parley.api.startVisitor(inbox.widget_key, { name: "Someone Else" });
    const found = await parley.api.get(`${ws(workspaceId)}/contacts?q=hamil`, token);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([visitor.contact.id]);
    expect((await parley.api.get(`${ws(workspaceId)}/contacts/${visitor.contact.id}`, token)).body.email).toBe("mh@example.com");
  });
});

describe("tenant isolation", () => {
  it("answers 404 to another workspace on every resource and changes nothing", async () => {
    const owner = await parley.api.signup("victim");
    const intruder = await parley.api.signup("intruder");
    const inbox = await parley.api.createWidgetInbox(owner.workspaceId, owner.token);
    const visitor = await parley.api.startVisitor(inbox.widget_key, { name: "Secret" });
    const message = await parley.api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "private", client_message_id: "s" }, visitor.session_token);
    const base = ws(owner.workspaceId);
    const conversation = `${base}/conversations/${visitor.conversation.id}`;

    const reads = [
      `${base}/conversations`,
      conversation,
      `${conversation}/messages`,
      `${base}/inboxes`,
      `${base}/inboxes/${inbox.id}`,
      `${base}/contacts`,
      `${base}/contacts/${visitor.contact.id}`,
      `${base}/members`,
    ];
    for (const path of reads) {
      const response = await parley.api.get(path, intruder.token);
      expect(response.status, path).toBe(404);
    }
    // The intruder's own workspace with the victim's ids: also 404.
    const own = ws(intruder.workspaceId);
    expect((await parley.api.get(`${own}/conversations/${visitor.conversation.id}`, intruder.token)).status).toBe(404);
    expect((await parley.api.get(`${own}/inboxes/${inbox.id}`, intruder.token)).status).toBe(404);
    expect((await parley.api.get(`${own}/contacts/${visitor.contact.id}`, intruder.token)).status).toBe(404);
    expect((await parley.api.post(`${own}/conversations/${visitor.conversation.id}/messages`, { body: "x", client_message_id: "i" }, intruder.token)).status).toBe(404);

    const writes = [
      parley.api.post(`${conversation}/messages`, { body: "hijack", client_message_id: "h" }, intruder.token),
      parley.api.post(`${conversation}/read`, {}, intruder.token),
      parley.api.patch(conversation, { status: "resolved" }, intruder.token),
      parley.api.post(`${base}/inboxes`, { name: "x", provider: "web_widget" }, intruder.token),
      parley.api.post(`${base}/members`, { email: "x@example.com", role: "agent", name: "x", password: "long enough" }, intruder.token),
    ];
    for (const response of await Promise.all(writes)) expect(response.status).toBe(404);

    const after = await parley.api.get(conversation, owner.token);
    expect(after.body).toMatchObject({ status: "open", unread_count: 1, last_message: { id: message.body.id } });
    expect((await parley.api.get(`${conversation}/messages`, owner.token)).body.data).toHaveLength(1);
    expect((await parley.api.get(`${base}/inboxes`, owner.token)).body.data).toHaveLength(1);
    expect((await parley.api.get(`${base}/members`, owner.token)).body.data).toHaveLength(1);
  });

  it("refuses another workspace's channels (403) and a visitor's channel to anyone else", async () => {
    const owner = await parley.api.signup("chanvictim");
    const intruder = await parley.api.signup("chanintruder");
    const inbox = await parley.api.createWidgetInbox(owner.workspaceId, owner.token);
    const visitor = await parley.api.startVisitor(inbox.widget_key);
    const otherVisitor = await parley.api.startVisitor(inbox.widget_key);
    const auth = (channel: string, token: string) => parley.api.post("/broadcasting/auth", { socket_id: "123.456", channel_name: channel }, token);
    for (const channel of [
      `private-workspace.${owner.workspaceId}`,
      `private-workspace.${owner.workspaceId}.conversation.${visitor.conversation.id}`,
      `presence-workspace.${owner.workspaceId}`,
      `private-visitor.${visitor.conversation.id}`,
    ]) {
      expect((await auth(channel, intruder.token)).status, channel).toBe(403);
    }
    expect((await auth(`private-visitor.${visitor.conversation.id}`, otherVisitor.session_token)).status).toBe(403);
    expect((await auth(`private-workspace.${owner.workspaceId}`, visitor.session_token)).status).toBe(403);
    expect((await auth(`private-visitor.${visitor.conversation.id}`, visitor.session_token)).status).toBe(200);
    const presence = await auth(`presence-workspace.${owner.workspaceId}`, owner.token);
    expect(presence.status).toBe(200);
    expect(JSON.parse(presence.body.channel_data)).toMatchObject({ user_id: expect.any(String), user_info: { role: "owner" } });
    expect((await auth("private-anything", owner.token)).status).toBe(403);
    const badSocket = await parley.api.post("/broadcasting/auth", { socket_id: "abc", channel_name: `private-workspace.${owner.workspaceId}` }, owner.token);
    expect(badSocket.status).toBe(400);
    expect(badSocket.body.error.field).toBe("socket_id");
  });
});

describe("ops", () => {
  it("reports health per dependency and Prometheus metrics", async () => {
    const health = await parley.api.get("/api/v1/health");
    expect(health.status).toBe(200);
    expect(health.body.checks.database.status).toBe("ok");
    const metrics = await fetch(`${parley.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain("parley_realtime_connections");
    expect(metrics).toContain("parley_messages_total");
    expect(metrics).toContain("parley_realtime_broadcast_latency_seconds");
  });

  it("serves the realtime settings, the OpenAPI document and the widget", async () => {
    const realtime = await parley.api.get("/api/v1/realtime");
    expect(realtime.body).toMatchObject({ app_key: parley.realtimeApp.key, auth_endpoint: "/broadcasting/auth" });
    const docs = await parley.api.get("/api/docs/json");
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain("/api/v1/workspaces/{workspace_id}/conversations");
    const widget = await fetch(`${parley.url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toContain("javascript");
  });
});

describe("attachments", () => {
  it("serves a message's media behind its capability URL and nothing without the key", async () => {
    const { token, workspaceId } = await parley.api.signup("media");
    const inbox = await parley.api.createWidgetInbox(workspaceId, token);
    const visitor = await parley.api.startVisitor(inbox.widget_key);
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const media = await parley.media.save(workspaceId, { bytes: png, mime: "image/png", filename: "photo 1.png" });
    const createdAt = new Date();
    await parley.database.db.insert(messages).values({
      id: newId(createdAt),
      workspaceId,
      inboxId: inbox.id,
      conversationId: visitor.conversation.id,
      direction: "inbound",
      type: "image",
      body: "a caption",
      mediaId: media.id,
      senderType: "contact",
      senderId: visitor.contact.id,
      status: "sent",
      createdAt,
      updatedAt: createdAt,
    });
    const thread = await parley.api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    const attachment = thread.body.data[0].media;
    expect(attachment).toMatchObject({ id: media.id, mime: "image/png", size_bytes: png.byteLength, filename: "photo 1.png" });
    const served = await fetch(`${parley.url}${attachment.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${parley.url}/api/v1/media/${media.id}?key=wrong`)).status).toBe(404);
    expect((await fetch(`${parley.url}/api/v1/media/${media.id}`)).status).toBe(404);
    expect((await fetch(`${parley.url}/api/v1/media/not-a-uuid?key=x`)).status).toBe(404);
  });
});
