/**
 * Visitors send attachments from the widget: upload (POST /media), then a send that names the
 * upload's media_id, against a real Parley (in-memory database and media storage).
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "../src/store/schema/index.ts";
import { useTestParley, workspacePath as ws } from "./parley.ts";

const parley = useTestParley();

const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(500)]);

async function upload(path: string, bytes: Uint8Array<ArrayBuffer>, filename: string, token: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "application/octet-stream" }), filename);
  const response = await fetch(`${parley().url}${path}`, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; mime: string; size: number; url: string; filename: string };
}

async function storedMessages(conversationId: string) {
  return parley().database.db.select().from(messages).where(eq(messages.conversationId, conversationId));
}

async function visitorOnNewWidget(label: string) {
  const { token, workspaceId } = await parley().api.signup(label);
  const inbox = await parley().api.createWidgetInbox(workspaceId, token);
  const visitor = await parley().api.startVisitor(inbox.widget_key);
  return { token, workspaceId, visitor, widget: `/api/v1/widget/${inbox.widget_key}` };
}

describe("visitors send attachments from the widget", () => {
  it("sends an uploaded image with a caption, which the agent sees as an image message", async () => {
    const { token, workspaceId, visitor, widget } = await visitorOnNewWidget("widget-image");
    const uploaded = await upload(`${widget}/media`, png, "broken.png", visitor.session_token);

    const sent = await parley().api.post(
      `${widget}/messages`,
      { client_message_id: "img-1", media_id: uploaded.id, body: "It arrived like this" },
      visitor.session_token,
    );
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: "image", body: "It arrived like this", direction: "inbound" });
    const again = await parley().api.post(`${widget}/messages`, { client_message_id: "img-1", media_id: uploaded.id }, visitor.session_token);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(sent.body.id);

    const agentView = await parley().api.get(`${ws(workspaceId)}/conversations/${visitor.conversation.id}/messages`, token);
    expect(agentView.body.data).toHaveLength(1);
    expect(agentView.body.data[0]).toMatchObject({
      id: sent.body.id,
      type: "image",
      body: "It arrived like this",
      media: { id: uploaded.id, mime: "image/png", size: png.byteLength, filename: "broken.png", url: uploaded.url },
    });
    const served = await fetch(`${parley().url}${agentView.body.data[0].media.url}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
  });

  it("sends a PDF without a caption as a document", async () => {
    const { visitor, widget } = await visitorOnNewWidget("widget-pdf");
    const uploaded = await upload(`${widget}/media`, Buffer.from("%PDF-1.7\n% receipt"), "receipt.pdf", visitor.session_token);
    const sent = await parley().api.post(`${widget}/messages`, { client_message_id: "pdf-1", media_id: uploaded.id }, visitor.session_token);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: "document", body: null, media: { mime: "application/pdf", filename: "receipt.pdf" } });
  });

  it("refuses another workspace's attachment, an unknown one, a template and a missing session, storing nothing", async () => {
    const { visitor, widget } = await visitorOnNewWidget("widget-refuse");
    const stranger = await visitorOnNewWidget("widget-stranger");
    const theirs = await upload(`${stranger.widget}/media`, png, "theirs.png", stranger.visitor.session_token);

    const foreign = await parley().api.post(`${widget}/messages`, { client_message_id: "f-1", media_id: theirs.id }, visitor.session_token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: "media.not_found", field: "media_id" });
    const unknown = await parley().api.post(`${widget}/messages`, { client_message_id: "f-2", media_id: crypto.randomUUID() }, visitor.session_token);
    expect(unknown.body.error).toMatchObject({ code: "media.not_found", field: "media_id" });
    const malformed = await parley().api.post(`${widget}/messages`, { client_message_id: "f-3", media_id: "not-a-uuid" }, visitor.session_token);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe("media_id");

    const template = await parley().api.post(
      `${widget}/messages`,
      { client_message_id: "t-1", template: { name: "hello_world", language: "en_US", variables: [] } },
      visitor.session_token,
    );
    expect(template.status).toBe(400);
    expect(template.body.error).toMatchObject({ code: "messages.invalid_content", field: "template" });
    const nothing = await parley().api.post(`${widget}/messages`, { client_message_id: "n-1" }, visitor.session_token);
    expect(nothing.status).toBe(400);

    const mine = await upload(`${widget}/media`, png, "mine.png", visitor.session_token);
    const anonymous = await parley().api.post(`${widget}/messages`, { client_message_id: "a-1", media_id: mine.id });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("widgets.invalid_session");

    expect(await storedMessages(visitor.conversation.id)).toEqual([]);
  });
});
