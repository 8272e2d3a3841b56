import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { describe, expect, it } from "vitest";
import { setLocale } from "../../../i18n/index.ts";
import { makeConversation } from "../../../testing/factories.ts";
import ContactPanel from "./ContactPanel.vue";

function panel(optedOut: boolean) {
  setActivePinia(createPinia());
  const conversation = makeConversation();
  const contact = {
    ...conversation.contact!,
    opted_out_at: optedOut ? "2026-11-29T08:40:00.000Z" : null,
    opt_out_source: optedOut ? ("keyword" as const) : null,
  };
  return mount(ContactPanel, {
    props: {
      conversation: { ...conversation, contact },
      inbox: conversation.inbox,
      members: [],
      onlineUserIds: new Set<string>(),
      myUserId: null,
      canUpdate: true,
      contactTyping: false,
      narrow: false,
    },
  });
}

describe("ContactPanel", () => {
  it("shows agents that a contact opted out of campaigns, and how", () => {
    const badge = panel(true).get('[data-testid="contact-opted-out"]');
    expect(badge.text()).toBe("Opted out of campaigns");
    expect(badge.attributes("title")).toContain("replied with an opt-out keyword");
    expect(panel(false).find('[data-testid="contact-opted-out"]').exists()).toBe(false);
  });

  it("says so in Indonesian, with the date written the Indonesian way", () => {
    setLocale("id");
    const badge = panel(true).get('[data-testid="contact-opted-out"]');
    expect(badge.text()).toBe("Berhenti berlangganan kampanye");
    expect(badge.attributes("title")).toMatch(/^Berhenti berlangganan pada .*Nov.* 2026.*\(membalas dengan kata kunci berhenti\)$/);
  });
});
