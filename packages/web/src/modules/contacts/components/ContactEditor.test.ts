import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../../lib/http.ts";
import { makeContact } from "../../../testing/factories.ts";
import ContactEditor from "./ContactEditor.vue";

const labels = [{ id: "l1", name: "VIP", color: "#ff0000", created_at: "2026-11-01T00:00:00.000Z", updated_at: "2026-11-01T00:00:00.000Z" }];

describe("ContactEditor", () => {
  it("sends only what changed: an agent's opt-out, a label, an attribute", async () => {
    const save = vi.fn(async () => {});
    const contact = makeContact({ name: "Dewi", custom_attributes: { city: "Bandung" } });
    const wrapper = mount(ContactEditor, { props: { contact, labels, canEdit: true, save } });
    await wrapper.get('[data-testid="contact-opted-out"]').setValue(true);
    await wrapper.get('[aria-label="Labels"] button').trigger("click");
    await wrapper.get('[aria-label="Attribute 1 value"]').setValue("Jakarta");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(save).toHaveBeenCalledWith({ labels: ["VIP"], custom_attributes: { city: "Jakarta" }, opted_out: true });
    expect(wrapper.text()).toContain("Saved");
  });

  it("says when and how a contact opted out", () => {
    const contact = makeContact({ opted_out_at: "2026-11-29T08:40:00.000Z", opt_out_source: "keyword" });
    const wrapper = mount(ContactEditor, { props: { contact, labels, canEdit: true, save: vi.fn() } });
    expect(wrapper.get('[data-testid="contact-opt-out-detail"]').text()).toMatch(/^Opted out on .+\(replied with an opt-out keyword\)$/);
  });

  it("shows the server's refusal beside the phone", async () => {
    const save = vi.fn(async () => {
      throw new ApiError(422, "contacts.invalid_phone", '"0" is not a valid phone number (default country ID).', "phone");
    });
    const wrapper = mount(ContactEditor, { props: { contact: makeContact(), labels, canEdit: true, save } });
    await wrapper.get("#contact-phone").setValue("0");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get("#contact-phone").attributes("aria-invalid")).toBe("true");
    expect(wrapper.text()).toContain("is not a valid phone number");
  });
});
