/** The HTTP API: another workspace sees nothing and changes nothing (through inject(), no port). */
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

const ws = workspacePath;

describe("tenant isolation", () => {
  it("answers 404 to another workspace on every resource and changes nothing", async () => {
    const owner = await parley().api.signup("victim");
    const intruder = await parley().api.signup("intruder");
    const inbox = await parley().api.createWidgetInbox(owner.workspaceId, owner.token);
    const visitor = await parley().api.startVisitor(inbox.widget_key, { name: "Secret" });
    const message = await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "private", client_message_id: "s" }, visitor.session_token);
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
      const response = await parley().api.get(path, intruder.token);
      expect(response.status, path).toBe(404);
    }
    // The intruder's own workspace with the victim's ids: also 404.
    const own = ws(intruder.workspaceId);
    expect((await parley().api.get(`${own}/conversations/${visitor.conversation.id}`, intruder.token)).status).toBe(404);
    expect((await parley().api.get(`${own}/inboxes/${inbox.id}`, intruder.token)).status).toBe(404);
    expect((await parley().api.get(`${own}/contacts/${visitor.contact.id}`, intruder.token)).status).toBe(404);
    expect(
      (await parley().api.post(`${own}/conversations/${visitor.conversation.id}/messages`, { body: "x", client_message_id: "i" }, intruder.token)).status,
    ).toBe(404);

    const writes = [
      parley().api.post(`${conversation}/messages`, { body: "hijack", client_message_id: "h" }, intruder.token),
      parley().api.post(`${conversation}/read`, {}, intruder.token),
      parley().api.patch(conversation, { status: "resolved" }, intruder.token),
      parley().api.post(`${base}/inboxes`, { name: "x", provider: "web_widget" }, intruder.token),
      parley().api.post(`${base}/members`, { email: "x@example.com", role: "agent", name: "x", password: "long enough" }, intruder.token),
    ];
    for (const response of await Promise.all(writes)) expect(response.status).toBe(404);

    const after = await parley().api.get(conversation, owner.token);
    expect(after.body).toMatchObject({ status: "open", unread_count: 1, last_message: { id: message.body.id } });
    expect((await parley().api.get(`${conversation}/messages`, owner.token)).body.data).toHaveLength(1);
    expect((await parley().api.get(`${base}/inboxes`, owner.token)).body.data).toHaveLength(1);
    expect((await parley().api.get(`${base}/members`, owner.token)).body.data).toHaveLength(1);
  });

  it("refuses another workspace's channels (403) and a visitor's channel to anyone else", async () => {
    const owner = await parley().api.signup("chanvictim");
    const intruder = await parley().api.signup("chanintruder");
    const inbox = await parley().api.createWidgetInbox(owner.workspaceId, owner.token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const otherVisitor = await parley().api.startVisitor(inbox.widget_key);
    const auth = (channel: string, token: string) => parley().api.post("/broadcasting/auth", { socket_id: "123.456", channel_name: channel }, token);
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
    const badSocket = await parley().api.post("/broadcasting/auth", { socket_id: "abc", channel_name: `private-workspace.${owner.workspaceId}` }, owner.token);
    expect(badSocket.status).toBe(400);
    expect(badSocket.body.error.field).toBe("socket_id");
  });
});
