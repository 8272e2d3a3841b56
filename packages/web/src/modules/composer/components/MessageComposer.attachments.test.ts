import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configureHttp } from "../../../lib/http.ts";
import type { MessageMedia } from "../../../lib/types.ts";
import { fakeFetch, fakeXhr } from "../../../testing/fake-server.ts";
import { jsonResponse, makeMessage } from "../../../testing/factories.ts";
import { useSessionStore } from "../../auth/store/session.store.ts";
import { useMessagesStore } from "../../messages/store/messages.store.ts";
import MessageComposer from "./MessageComposer.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;
const mediaPath = `/api/v1/workspaces/${workspaceId}/media`;
const stored: MessageMedia = { id: "m-1", mime: "image/png", size: 4096, url: "/media/m-1", filename: "sofa.png" };

function setup() {
  setActivePinia(createPinia());
  const session = useSessionStore();
  session.token = "t";
  session.user = { id: "me", name: "Me Agent", email: "me@example.com" };
  session.workspaces = [{ id: workspaceId, name: "Acme", slug: "acme", role: "agent" }];
  session.workspaceId = workspaceId;
  const wrapper = mount(MessageComposer, { props: { conversationId, disabledReason: null, nameOf: () => "Ana" } });
  return { wrapper, messages: useMessagesStore() };
}

function pick(wrapper: ReturnType<typeof setup>["wrapper"], file: File) {
  const input = wrapper.get('[data-testid="file-input"]');
  Object.defineProperty(input.element, "files", { value: [file], configurable: true });
  return input.trigger("change");
}

const png = () => new File([new Uint8Array(4096)], "sofa.png", { type: "image/png" });

describe("composer attachments", () => {
  beforeEach(() => {
    localStorage.clear();
    configureHttp({ token: () => "t" });
    URL.createObjectURL = vi.fn(() => "blob:preview-1");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    configureHttp({ token: () => null });
  });

  it("uploads a picked file with progress, then sends its media id with the text as caption", async () => {
    const uploads = fakeXhr();
    const requests = fakeFetch({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`POST ${messagesPath}`]: (body) => jsonResponse(makeMessage({ direction: "outbound", type: "image", body: body.body, media: stored, client_message_id: body.client_message_id }), 201),
    });
    const { wrapper, messages } = setup();
    await messages.open(conversationId);
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
    expect(optimistic[0]).toMatchObject({ type: "image", body: "The blue one", local: "sending", media: { id: "", url: "blob:preview-1", filename: "sofa.png" } });
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
  });

  it("shows why an upload was refused (413, 415) and lets the agent remove the file", async () => {
    const uploads = fakeXhr();
    fakeFetch({});
    const { wrapper } = setup();
    await pick(wrapper, png());
    uploads[0]!.respond(413, { error: { code: "media.too_large", message: "Request body is too large" } });
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-chip"] [role="alert"]').text()).toBe("This file is too large to send.");
    expect(wrapper.get('button[aria-label="Send message"]').attributes("disabled")).toBeDefined();

    await pick(wrapper, new File(["MZ"], "setup.exe", { type: "application/x-msdownload" }));
    uploads[1]!.respond(415, { error: { code: "media.unsupported_type", message: "Unsupported media type" } });
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-chip"]').text()).toContain("This type of file can't be sent.");

    await wrapper.get('button[aria-label="Remove setup.exe"]').trigger("click");
    expect(wrapper.find('[data-testid="attachment-chip"]').exists()).toBe(false);
  });

  it("cancels the upload when the chip is removed", async () => {
    const uploads = fakeXhr();
    fakeFetch({});
    const { wrapper } = setup();
    await pick(wrapper, png());
    await wrapper.get('button[aria-label="Remove sofa.png"]').trigger("click");
    expect(uploads[0]!.aborted).toBe(true);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:preview-1");
    expect(wrapper.find('[data-testid="attachment-chip"]').exists()).toBe(false);
  });

  it("attaches a pasted image instead of pasting it as text", async () => {
    const uploads = fakeXhr();
    fakeFetch({});
    const { wrapper } = setup();
    const event = new Event("paste", { bubbles: true, cancelable: true });
    Object.defineProperty(event, "clipboardData", { value: { files: [png()] } });
    wrapper.get("textarea").element.dispatchEvent(event);
    await flushPromises();
    expect(event.defaultPrevented).toBe(true);
    expect(uploads).toHaveLength(1);
    expect(wrapper.get('[data-testid="attachment-chip"]').text()).toContain("sofa.png");
  });
});
