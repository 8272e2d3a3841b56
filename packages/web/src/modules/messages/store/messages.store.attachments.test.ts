import { flushPromises } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startAttachment } from "../../../lib/attachment.ts";
import { upload } from "../../../lib/http.ts";
import type { MessageMedia } from "../../../lib/types.ts";
import { fakeFetch, fakeXhr } from "../../../testing/fake-server.ts";
import { jsonResponse, makeMessage } from "../../../testing/factories.ts";
import { useMessagesStore } from "./messages.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;

/** Starts uploading `file` as the composer does (multipart to the workspace's media). */
function attach(file: File) {
  return startAttachment(file, (blob, options) => {
    const form = new FormData();
    form.append("file", blob, blob.name);
    return upload<MessageMedia>(`/api/v1/workspaces/${workspaceId}/media`, form, options);
  });
}

function setup() {
  setActivePinia(createPinia());
  const store = useMessagesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Me Agent" } });
  return store;
}

describe("sending an attachment", () => {
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => "blob:doc");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("fails the bubble with the upload's reason, and Retry uploads again and sends", async () => {
    const uploads = fakeXhr();
    const requests = fakeFetch({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`POST ${messagesPath}`]: (body) =>
        jsonResponse(makeMessage({ direction: "outbound", type: "document", body: null, client_message_id: body.client_message_id }), 201),
    });
    const store = setup();
    await store.open(conversationId);
    const attachment = attach(new File(["x".repeat(100)], "price-list.pdf", { type: "application/pdf" }));
    const sending = store.sendAttachment(conversationId, attachment, "");
    expect(store.thread(conversationId).items[0]).toMatchObject({
      type: "document",
      body: null,
      local: "sending",
      media: { id: "", filename: "price-list.pdf", size: 100 },
    });

    uploads[0]!.respond(413, { error: { code: "media.too_large", message: "Too large" } });
    await sending;
    const [failed] = store.thread(conversationId).items;
    expect(failed).toMatchObject({ local: "failed", status: "failed", failed_reason: "This file is too large to send." });
    expect(requests.some((request) => request.method === "POST")).toBe(false);

    const retrying = store.retry(conversationId, failed!.key);
    await flushPromises();
    expect(uploads).toHaveLength(2);
    uploads[1]!.respond(201, { id: "m-9", mime: "application/pdf", size: 100, url: "/media/m-9", filename: "price-list.pdf" });
    await retrying;
    const post = requests.find((request) => request.method === "POST")!;
    // No caption: no body.
    expect(post.body).toEqual({ client_message_id: failed!.client_message_id, media_id: "m-9" });
    expect(store.thread(conversationId).items[0]!.local).toBeUndefined();
    expect(store.uploadFor(failed!.client_message_id)).toBeUndefined();
  });
});
