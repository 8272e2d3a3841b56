import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useDraftsStore } from "../store/drafts.store.ts";
import MessageComposer from "./MessageComposer.vue";

const nameOf = () => "Ana";

describe("composer", () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it("sends on Enter, adds a line on Shift+Enter, and clears the draft", async () => {
    const wrapper = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: null, nameOf } });
    const input = wrapper.get("textarea");
    await input.setValue("Hello");
    await input.trigger("keydown", { key: "Enter", shiftKey: true });
    expect(wrapper.emitted("send")).toBeUndefined();
    await input.setValue("Hello\nthere ");
    await input.trigger("keydown", { key: "Enter" });
    await vi.waitFor(() => expect(wrapper.emitted("send")).toEqual([[{ body: "Hello\nthere", attachment: null, replyTo: null }]]));
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
    const reason = "You have viewer access in this workspace: you can read conversations but not reply.";
    const wrapper = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: reason, nameOf } });
    const input = wrapper.get("textarea");
    expect(input.attributes("disabled")).toBeDefined();
    expect(wrapper.get('[role="note"]').text()).toBe(reason);
    expect(input.attributes("aria-describedby")).toBe(wrapper.get('[role="note"]').attributes("id"));
    expect(wrapper.get('button[type="submit"]').attributes("disabled")).toBeDefined();
    await input.trigger("keydown", { key: "Enter" });
    expect(wrapper.emitted("send")).toBeUndefined();
  });

  it("tells the parent while the agent types, and that they stopped once the text is sent", async () => {
    const wrapper = mount(MessageComposer, { props: { conversationId: "c1", disabledReason: null, nameOf } });
    const input = wrapper.get("textarea");
    await input.setValue("Hi");
    expect(wrapper.emitted("typing")).toEqual([[true]]);
    await input.trigger("keydown", { key: "Enter" });
    await vi.waitFor(() => expect(wrapper.emitted("typing")).toEqual([[true], [false]]));
  });
});
