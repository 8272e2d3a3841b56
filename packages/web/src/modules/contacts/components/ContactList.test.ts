import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { makeContact } from "../../../testing/factories.ts";
import ContactList from "./ContactList.vue";

function list(props: { hasMore: boolean; loading: boolean }) {
  const contacts = [makeContact({ name: "Dewi", labels: ["VIP"], opted_out_at: "2026-11-29T08:40:00.000Z" }), makeContact({ name: "Eka" })];
  return mount(ContactList, { props: { contacts, selectedId: null, error: null, ...props } });
}

/** Scrolls the list to `top` of a `height` px list shown in 500 px. */
async function scrollTo(wrapper: ReturnType<typeof list>, top: number, height: number) {
  const element = wrapper.get('[data-testid="contact-list"]').element as HTMLElement;
  Object.defineProperties(element, { scrollTop: { value: top, configurable: true }, clientHeight: { value: 500 }, scrollHeight: { value: height } });
  await wrapper.get('[data-testid="contact-list"]').trigger("scroll");
}

describe("ContactList", () => {
  it("shows each contact with labels and an opted-out badge, and selects one", async () => {
    const wrapper = list({ hasMore: false, loading: false });
    const rows = wrapper.findAll('[data-testid="contact-row"]');
    expect(rows[0]!.text()).toContain("VIP");
    expect(rows[0]!.text()).toContain("Opted out");
    expect(rows[1]!.text()).not.toContain("Opted out");
    await rows[1]!.trigger("click");
    expect(wrapper.emitted("select")![0]![0]).toMatchObject({ name: "Eka" });
  });

  it("asks for the next page when scrolled near the end, not before, and not while a page loads", async () => {
    const wrapper = list({ hasMore: true, loading: false });
    await scrollTo(wrapper, 100, 5000);
    expect(wrapper.emitted("more")).toBeUndefined();
    await scrollTo(wrapper, 4200, 5000);
    expect(wrapper.emitted("more")).toHaveLength(1);
    await wrapper.setProps({ loading: true });
    await scrollTo(wrapper, 4400, 5000);
    expect(wrapper.emitted("more")).toHaveLength(1);
  });
});
