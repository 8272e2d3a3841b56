/** The composer's `/` picker of canned responses, and text inserted into the draft from elsewhere (a suggestion). */
import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useDraftsStore } from "../store/drafts.store.ts";
import MessageComposer from "./MessageComposer.vue";

const cannedResponses = [
  { id: "1", shortcode: "hours", content: "We are open 9 to 5, {{contact.name}}." },
  { id: "2", shortcode: "ongkir", content: "Ongkir ke Jakarta Rp10.000 ya kak {{contact.name}}" },
  { id: "3", shortcode: "ongkir-luar", content: "Ongkir ke luar Jawa mulai Rp25.000" },
];

function composer() {
  return mount(MessageComposer, {
    props: { conversationId: "c1", disabledReason: null, nameOf: () => "Sari", cannedResponses, contactName: "Sari" },
    attachTo: document.body,
  });
}

const optionTexts = (wrapper: ReturnType<typeof composer>) => wrapper.findAll('[data-testid="canned-option"]').map((option) => option.find("span").text());
const selected = (wrapper: ReturnType<typeof composer>) => wrapper.get('[role="option"][aria-selected="true"]').find("span").text();

describe("the / picker", () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = "";
    setActivePinia(createPinia());
  });

  it("filters canned responses by shortcode as the agent types, and inserts the chosen one with arrows and Enter, the name filled", async () => {
    const wrapper = composer();
    const input = wrapper.get("textarea");
    await input.setValue("/");
    expect(optionTexts(wrapper)).toEqual(["/hours", "/ongkir", "/ongkir-luar"]);
    await input.setValue("/ong");
    expect(optionTexts(wrapper)).toEqual(["/ongkir", "/ongkir-luar"]);
    expect(selected(wrapper)).toBe("/ongkir");
    await input.trigger("keydown", { key: "ArrowDown" });
    expect(selected(wrapper)).toBe("/ongkir-luar");
    await input.trigger("keydown", { key: "ArrowDown" });
    expect(selected(wrapper)).toBe("/ongkir");
    expect(input.attributes("aria-activedescendant")).toBe(wrapper.get('[aria-selected="true"]').attributes("id"));
    await input.trigger("keydown", { key: "Enter" });
    await vi.waitFor(() => expect((input.element as HTMLTextAreaElement).value).toBe("Ongkir ke Jakarta Rp10.000 ya kak Sari"));
    // Enter inserted the reply for editing: nothing was sent, and the picker closed.
    expect(wrapper.emitted("send")).toBeUndefined();
    expect(wrapper.find('[data-testid="canned-picker"]').exists()).toBe(false);
  });

  it("opens mid-message after a space, and replaces only the /word", async () => {
    const wrapper = composer();
    const input = wrapper.get("textarea");
    await input.setValue("Halo kak! /hou");
    expect(optionTexts(wrapper)).toEqual(["/hours"]);
    await input.trigger("keydown", { key: "Tab" });
    await vi.waitFor(() => expect((input.element as HTMLTextAreaElement).value).toBe("Halo kak! We are open 9 to 5, Sari."));
  });

  it("closes on Esc (Enter then sends as usual) and says when nothing matches", async () => {
    const wrapper = composer();
    const input = wrapper.get("textarea");
    await input.setValue("/zzz");
    expect(wrapper.get('[data-testid="canned-picker"]').text()).toContain("No canned response starts with /zzz");
    await input.setValue("/hours");
    await input.trigger("keydown", { key: "Escape" });
    expect(wrapper.find('[data-testid="canned-picker"]').exists()).toBe(false);
    await input.trigger("keydown", { key: "Enter" });
    await vi.waitFor(() => expect(wrapper.emitted("send")).toEqual([[{ body: "/hours", attachment: null, replyTo: null }]]));
  });

  it("does not open inside a word or without canned responses", async () => {
    const wrapper = composer();
    await wrapper.get("textarea").setValue("and/or");
    expect(wrapper.find('[data-testid="canned-picker"]').exists()).toBe(false);
    const plain = mount(MessageComposer, { props: { conversationId: "c2", disabledReason: null, nameOf: () => "Sari" } });
    await plain.get("textarea").setValue("/");
    expect(plain.find('[data-testid="canned-picker"]').exists()).toBe(false);
  });
});

describe("text inserted into the draft", () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it("shows in the message box for editing, after what the agent had written, and is not sent", async () => {
    const wrapper = composer();
    const input = wrapper.get("textarea");
    useDraftsStore().insertText("c1", "Bisa kak, dikirim hari ini.");
    await vi.waitFor(() => expect((input.element as HTMLTextAreaElement).value).toBe("Bisa kak, dikirim hari ini."));
    expect(document.activeElement).toBe(input.element);
    await input.setValue("Halo!");
    useDraftsStore().insertText("c1", "Stoknya ada.");
    await vi.waitFor(() => expect((input.element as HTMLTextAreaElement).value).toBe("Halo!\nStoknya ada."));
    expect(wrapper.emitted("send")).toBeUndefined();
  });
});
