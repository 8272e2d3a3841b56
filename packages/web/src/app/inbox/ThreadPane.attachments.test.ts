import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configureHttp } from "../../lib/http.ts";
import type { MessageMedia } from "../../lib/types.ts";
import { useSessionStore } from "../../modules/auth/store/session.store.ts";
import { useConversationsStore } from "../../modules/conversations/store/conversations.store.ts";
import { useMessagesStore } from "../../modules/messages/store/messages.store.ts";
import { fakeFetch, fakeXhr } from "../../testing/fake-server.ts";
import { jsonResponse, makeConversation, makeMessage } from "../../testing/factories.ts";
import { linkStores, resetWorkspaceStores } from "../workspace-stores.ts";
import ThreadPane from "./ThreadPane.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;
const mediaPath = `/api/v1/workspaces/${workspaceId}/media`;
const stored: MessageMedia = { id: "m-1", mime: "image/png", size: 4096, url: "/media/m-1", filename: "sofa.png" };

function setup() {
  setActivePinia(createPinia());
  linkStores();
  const session = useSessionStore();
  session.token = "t";
  session.user = { id: "me", name: "Me Agent", email: "me@example.com", locale: "en" };
  session.workspaces = [{ id: workspaceId, name: "Acme", slug: "acme", role: "agent" }];
  session.workspaceId = workspaceId;
  resetWorkspaceStores({ workspaceId, me: { id: "me", name: "Me Agent" } });
  useConversationsStore().upsert(makeConversation({ id: conversationId }));
  const wrapper = mount(ThreadPane, { props: { conversationId, narrow: false, shown: true }, attachTo: document.body });
  return { wrapper, messages: useMessagesStore() };
}

function pick(wrapper: ReturnType<typeof setup>["wrapper"], file: File) {
  const input = wrapper.get('[data-testid="file-input"]');
  Object.defineProperty(input.element, "files", { value: [file], configurable: true });
  return input.trigger("change");
}

const png = () => new File([new Uint8Array(4096)], "sofa.png", { type: "image/png" });

describe("thread pane: sending an attachment", () => {
  beforeEach(() => {
    localStorage.clear();
    configureHttp({ token: () => "t" });
    URL.createObjectURL = vi.fn(() => "blob:preview-1");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    configureHttp({ token: () => null });
    document.body.innerHTML = "";
  });

  it("uploads a picked file with progress, then sends its media id with the text as caption", async () => {
    const uploads = fakeXhr();
    const requests = fakeFetch({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`POST ${messagesPath}`]: (body) =>
        jsonResponse(makeMessage({ direction: "outbound", type: "image", body: body.body, media: stored, client_message_id: body.client_message_id }), 201),
    });
    const { wrapper, messages } = setup();
    await flushPromises();
    await pick(wrapper, png());

    // The upload started at once, as multipart with the bearer token.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ method: "POST", url: mediaPath, headers: { authorization: "Bearer t" } });
    expect((uploads[0]!.body!.get("file") as File).name).toBe("sofa.png");
    const chip = wrapper.get('[data-testid="attachment-chip"]');
    expect(chip.text()).toContain("sofa.png");
    expect(chip.text()).toContain("4.0 KB");
    uploads[0]!.progress(1024, 4096);
    await flushPromises();
    expect(chip.get('[data-testid="upload-percent"]').text()).toBe("25%");
    expect(chip.get('[role="progressbar"]').attributes("aria-valuenow")).toBe("25");

    // Send while still uploading: the bubble shows at once; the POST waits for the media id.
    await wrapper.get("textarea").setValue("The blue one");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.find('[data-testid="attachment-chip"]').exists()).toBe(false);
    const optimistic = messages.thread(conversationId).items;
    expect(optimistic).toHaveLength(1);
    expect(optimistic[0]).toMatchObject({
      type: "image",
      body: "The blue one",
      local: "sending",
      media: { id: "", url: "blob:preview-1", filename: "sofa.png" },
    });
    expect(messages.uploadFor(optimistic[0]!.client_message_id)?.progress).toBe(0.25);
    expect(requests.filter((request) => request.method === "POST")).toHaveLength(0);

    uploads[0]!.respond(201, stored);
    await flushPromises();
    const posts = requests.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({ client_message_id: optimistic[0]!.client_message_id, media_id: "m-1", body: "The blue one" });
    const [sent] = messages.thread(conversationId).items;
    expect(sent).toMatchObject({ status: "sent", media: stored });
    expect(sent!.local).toBeUndefined();
    // The list's preview followed the send: it shows the photo with its caption.
    expect(useConversationsStore().get(conversationId)!.last_message).toMatchObject({ type: "image", body: "The blue one", status: "sent" });
  });
});
