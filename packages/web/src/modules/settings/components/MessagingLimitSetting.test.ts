import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../../i18n/index.ts";
import type { Inbox } from "../../../lib/types.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeInbox } from "../../../testing/factories.ts";
import { toasts } from "../../../ui/toasts.ts";
import { useInboxesStore } from "../store/inboxes.store.ts";
import MessagingLimitSetting from "./MessagingLimitSetting.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const inboxPath = `/api/v1/workspaces/${workspaceId}/inboxes/i0000000-0000-4000-8000-0000000000c9`;
const number: Inbox = makeInbox({
  id: "i0000000-0000-4000-8000-0000000000c9",
  provider: "whatsapp_cloud",
  name: "Promo number",
  widget_key: null,
  widget: null,
  // A Cloud API number with its secrets set; only its messaging limit matters here.
  config: {
    phone_number_id: "10654",
    waba_id: null,
    graph_base_url: "",
    has_access_token: true,
    has_app_secret: true,
    has_verify_token: true,
    messaging_limit: 250,
  },
});

function mountSetting(canManage: boolean) {
  setActivePinia(createPinia());
  const store = useInboxesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  store.inboxes = [number];
  store.loaded = true;
  // Re-rendered from the store, as the inbox list does.
  const wrapper = mount({
    components: { MessagingLimitSetting },
    setup: () => ({ store, canManage }),
    template: `<MessagingLimitSetting :inbox="store.inboxes[0]" :can-manage="canManage" />`,
  });
  return { wrapper, store };
}

describe("a Cloud API inbox's messaging limit", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    toasts.value = [];
    setLocale("en");
  });

  it("offers Meta's tiers, and saves the one an admin picks", async () => {
    const requests = fakeFetch({ [`PATCH ${inboxPath}`]: () => jsonResponse({ ...number, config: { ...number.config!, messaging_limit: 10000 } }) });
    const { wrapper, store } = mountSetting(true);
    const select = wrapper.get<HTMLSelectElement>('[data-testid="messaging-limit-select"]');
    expect(select.element.value).toBe("250");
    expect(select.findAll("option").map((option) => option.text())).toEqual([
      "250 contacts a day",
      "2,000 contacts a day",
      "10,000 contacts a day",
      "100,000 contacts a day",
      "Unlimited",
    ]);
    await select.setValue("10000");
    await flushPromises();
    expect(requests).toEqual([{ method: "PATCH", url: inboxPath, body: { messaging_limit: 10000 } }]);
    expect(store.inboxes[0]!.config!.messaging_limit).toBe(10000);
    expect(toasts.value.map((toast) => toast.text)).toEqual(["“Promo number” may now reach 10,000 contacts a day in 24 hours."]);
  });

  it("keeps the limit the server has when it refuses, and says why", async () => {
    fakeFetch({ [`PATCH ${inboxPath}`]: () => jsonResponse({ error: { code: "auth.forbidden", message: "Only owners and admins can do that." } }, 403) });
    const { wrapper, store } = mountSetting(true);
    const select = wrapper.get<HTMLSelectElement>('[data-testid="messaging-limit-select"]');
    await select.setValue("unlimited");
    await flushPromises();
    expect(select.element.value).toBe("250");
    expect(store.inboxes[0]!.config!.messaging_limit).toBe(250);
    expect(toasts.value.map((toast) => toast.tone)).toEqual(["error"]);
  });

  it("shows agents the limit without a way to change it, in their language", async () => {
    const requests = fakeFetch({});
    setLocale("id");
    const { wrapper } = mountSetting(false);
    expect(wrapper.find('[data-testid="messaging-limit-select"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="messaging-limit-value"]').text()).toBe("250 kontak per hari");
    expect(wrapper.text()).toContain("Batas pengiriman pesan");
    expect(requests).toEqual([]);
  });
});
