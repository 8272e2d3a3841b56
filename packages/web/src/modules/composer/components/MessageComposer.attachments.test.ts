import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configureHttp } from "../../../lib/http.ts";
import { fakeFetch, fakeXhr } from "../../../testing/fake-server.ts";
import { useDraftsStore } from "../store/drafts.store.ts";
import MessageComposer from "./MessageComposer.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const mediaPath = `/api/v1/workspaces/${workspaceId}/media`;

function setup() {
  setActivePinia(createPinia());
  useDraftsStore().reset({ workspaceId, me: { id: "me", name: "Me Agent" } });
  const wrapper = mount(MessageComposer, { props: { conversationId, disabledReason: null, nameOf: () => "Ana" } });
  return { wrapper };
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

  it("uploads a picked file at once with progress, and sends it with the text as its caption", async () => {
    const uploads = fakeXhr();
    fakeFetch({});
    const { wrapper } = setup();
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

    // Sending while still uploading hands over the upload itself; the chip goes.
    await wrapper.get("textarea").setValue("The blue one");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.find('[data-testid="attachment-chip"]').exists()).toBe(false);
    const sent = wrapper.emitted("send")?.[0]?.[0];
    expect(sent).toMatchObject({ body: "The blue one", replyTo: null, attachment: { name: "sofa.png", state: "uploading", progress: 0.25 } });
    expect(uploads[0]!.aborted).toBe(false);
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
