import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useMessagesStore } from "../../messages/store/messages.store.ts";
import { useDraftsStore } from "../store/drafts.store.ts";
import MessageComposer from "./MessageComposer.vue";

const nameOf = () => "Ana";

describe("composer", () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it("sends on Enter, adds a line on Shift+Enter, and clears the draft", async () => {
    const messages = useMessagesStore();
    const send = vi.spyOn(messages, "send").mockResolvedValue();
    const wrapper = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: null, nameOf } });
    const input = wrapper.get("textarea");
    await input.setValue("Hello");
    await input.trigger("keydown", { key: "Enter", shiftKey: true });
    expect(send).not.toHaveBeenCalled();
    await input.setValue("Hello\nthere ");
    await input.trigger("keydown", { key: "Enter" });
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith("c1", "Hello\nthere", null));
    expect((input.element as HTMLTextAreaElement).value).toBe("");
    expect(useDraftsStore().text("c1")).toBe("");
  });

  it("keeps a draft per conversation", async () => {
    const first = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: null, nameOf } });
    await first.get("textarea").setValue("Half a thought");
    first.unmount();
    const other = mount(MessageComposer, { props: { conversationId: "c2", disabledReason: null, nameOf } });
    expect((other.get("textarea").element as HTMLTextAreaElement).value).toBe("");
    other.unmount();
    const again = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: null, nameOf } });
    expect((again.get("textarea").element as HTMLTextAreaElement).value).toBe("Half a thought");
  });

  it("is disabled for viewers and says why", async () => {
    const messages = useMessagesStore();
    const send = vi.spyOn(messages, "send").mockResolvedValue();
    const reason = "You have viewer access in this workspace: you can read conversations but not reply.";
    const wrapper = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: reason, nameOf } });
    const input = wrapper.get("textarea");
    expect(input.attributes("disabled")).toBeDefined();
    expect(wrapper.get('[role="note"]').text()).toBe(reason);
    expect(input.attributes("aria-describedby")).toBe(wrapper.get('[role="note"]').attributes("id"));
    expect(wrapper.get('button[type="submit"]').attributes("disabled")).toBeDefined();
    await input.trigger("keydown", { key: "Enter" });
    expect(send).not.toHaveBeenCalled();
  });
});
