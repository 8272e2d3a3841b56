import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Inbox } from "../../../lib/types.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeInbox } from "../../../testing/factories.ts";
import { useInboxesStore } from "../store/inboxes.store.ts";
import InboxSettings from "./InboxSettings.vue";
import WhatsappWebLink from "./WhatsappWebLink.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const inboxId = "i0000000-0000-4000-8000-0000000000a1";
const qr = (code: string) => ({ code, image_data_url: `data:image/png;base64,${btoa(code)}`, expires_at: "2026-11-29T10:00:20.000Z" });
const whatsappInbox = (overrides: Partial<Inbox> = {}): Inbox =>
  makeInbox({
    id: inboxId,
    provider: "whatsapp_web",
    engine: "sandbox",
    name: "Toko",
    status: "qr_ready",
    widget_key: null,
    widget: null,
    qr: qr("2@first"),
    ...overrides,
  });

function setup(inboxes: Inbox[]) {
  setActivePinia(createPinia());
  const store = useInboxesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  store.inboxes = inboxes;
  store.loaded = true;
  return store;
}

afterEach(() => vi.unstubAllGlobals());

describe("linking a WhatsApp inbox", () => {
  it("shows the QR, replaces it when WhatsApp does, and takes it away once linked", async () => {
    const store = setup([whatsappInbox()]);
    fakeFetch({
      [`GET /api/v1/workspaces/${workspaceId}/inboxes/${inboxId}`]: () =>
        jsonResponse(whatsappInbox({ status: "ready", qr: null, phone_number: "+15550001234" })),
    });
    const wrapper = mount(WhatsappWebLink, { props: { inboxId } });
    expect(wrapper.get('[data-testid="link-qr"]').attributes("src")).toBe(qr("2@first").image_data_url);
    expect(wrapper.get('[data-testid="link-status"]').text()).toMatch(/scan the qr/i);

    store.applyQr({ inbox_id: inboxId, ...qr("2@second") });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-qr"]').attributes("src")).toBe(qr("2@second").image_data_url);

    store.applyStatus({ inbox_id: inboxId, status: "ready", reason: null, timestamp: "2026-11-29T10:00:05.000Z" });
    await flushPromises();
    expect(wrapper.find('[data-testid="link-qr"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="link-status"]').text()).toBe("Connected");
    expect(wrapper.text()).toContain("+15550001234");

    store.applySync({ inbox_id: inboxId, status: "running", total: 120, synced: 50 });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-sync"]').text()).toContain("50 of 120");
    store.applySync({ inbox_id: inboxId, status: "completed", total: 120, synced: 120 });
    await flushPromises();
    expect(wrapper.find('[data-testid="link-sync"]').exists()).toBe(false);
  });

  it("scans with the sandbox phone, and says why an inbox is not connected", async () => {
    const store = setup([whatsappInbox()]);
    const requests = fakeFetch({ [`POST /api/v1/sandbox/${inboxId}/scan`]: () => new Response(null, { status: 204 }) });
    const wrapper = mount(WhatsappWebLink, { props: { inboxId } });
    await wrapper.get('[data-testid="sandbox-scan"]').trigger("click");
    await flushPromises();
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([`POST /api/v1/sandbox/${inboxId}/scan`]);

    store.applyStatus({
      inbox_id: inboxId,
      status: "failed",
      reason: "Logged out from the phone: restart the inbox to link it again with a new QR.",
      timestamp: "2026-11-29T10:01:00.000Z",
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-reason"]').text()).toMatch(/logged out/i);
    expect(wrapper.find('[data-testid="sandbox-scan"]').exists()).toBe(false);
  });

  it("is offered first in Settings, with the engine to choose, and shows the link panel once created", async () => {
    setup([]);
    const created = whatsappInbox({ status: "disconnected", qr: null });
    const requests = fakeFetch({ [`POST /api/v1/workspaces/${workspaceId}/inboxes`]: () => jsonResponse(created, 201) });
    const wrapper = mount(InboxSettings, { props: { canManage: true } });
    await wrapper.get("#wa-inbox-name").setValue("Toko");
    await wrapper.get('[data-testid="engine-sandbox"]').setValue(true);
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests[0]!.body).toEqual({ name: "Toko", provider: "whatsapp_web", config: { engine: "sandbox" } });
    expect(wrapper.get('[data-testid="new-whatsapp-inbox"]').text()).toContain("Waiting for the server");
  });
});
