/** The HTTP API: attachments on messages and retrying failed messages (through inject(), no port). */
import { describe, expect, it } from "vitest";
import { newId } from "../src/domain/ids.ts";
import { messages } from "../src/store/schema/index.ts";
import { eventually } from "./eventually.ts";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

const ws = workspacePath;

describe("attachments", () => {
  it("serves a message's media behind its capability URL and nothing without the key", async () => {
    const { token, workspaceId } = await parley().api.signup("media");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const media = await parley().media.save(workspaceId, { bytes: png, mime: "image/png", filename: "photo 1.png" });
    const createdAt = new Date();
    await parley()
      .database.db.insert(messages)
      .values({
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
    const thread = await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    const attachment = thread.body.data[0].media;
    expect(attachment).toMatchObject({ id: media.id, mime: "image/png", size: png.byteLength, filename: "photo 1.png" });
    const served = await parley().app.inject({ method: "GET", url: attachment.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/png");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    expect(served.rawPayload.equals(png)).toBe(true);
    expect((await parley().app.inject({ method: "GET", url: `/api/v1/media/${media.id}?key=wrong` })).statusCode).toBe(404);
    expect((await parley().app.inject({ method: "GET", url: `/api/v1/media/${media.id}` })).statusCode).toBe(404);
    expect((await parley().app.inject({ method: "GET", url: "/api/v1/media/not-a-uuid?key=x" })).statusCode).toBe(404);
  });
});

describe("retrying a failed message", () => {
  it("sends a failed agent message again, once, and refuses anything else", async () => {
    const { token, workspaceId, userId } = await parley().api.signup("retry");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const createdAt = new Date();
    const failedId = newId(createdAt);
    await parley().database.db.insert(messages).values({
      id: failedId,
      workspaceId,
      inboxId: inbox.id,
      conversationId: visitor.conversation.id,
      direction: "outbound",
      type: "text",
      body: "Your order number is #4411.",
      senderType: "agent",
      senderId: userId,
      status: "failed",
      failedReason: "provider unavailable",
      clientMessageId: "failed-1",
      createdAt,
      updatedAt: createdAt,
    });
    const retried = await parley().api.post(`${ws(workspaceId)}/messages/${failedId}/retry`, {}, token);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: failedId, status: "pending", failed_reason: null });
    await eventually(
      async () =>
        (await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token)).body.data.find(
          (m: { id: string }) => m.id === failedId,
        )?.status === "sent",
      { what: "the retried message to be sent" },
    );
    const again = await parley().api.post(`${ws(workspaceId)}/messages/${failedId}/retry`, {}, token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("messages.not_failed");
    const visitorView = await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    expect(visitorView.body.data.map((m: { body: string; status: string }) => [m.body, m.status])).toEqual([["Your order number is #4411.", "sent"]]);

    const stranger = await parley().api.signup("retry-stranger");
    expect((await parley().api.post(`${ws(stranger.workspaceId)}/messages/${failedId}/retry`, {}, stranger.token)).status).toBe(404);
    expect((await parley().api.post(`${ws(workspaceId)}/messages/not-a-uuid/retry`, {}, token)).status).toBe(404);
  });
});
