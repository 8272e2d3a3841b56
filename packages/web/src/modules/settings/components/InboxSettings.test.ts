import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Inbox } from "../../../lib/types.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeInbox } from "../../../testing/factories.ts";
import { toasts } from "../../../ui/toasts.ts";
import { useInboxesStore } from "../store/inboxes.store.ts";
import InboxSettings from "./InboxSettings.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const inboxesPath = `/api/v1/workspaces/${workspaceId}/inboxes`;

const cloudInbox = (overrides: Partial<Inbox> = {}): Inbox =>
  makeInbox({
    id: "i0000000-0000-4000-8000-0000000000c1",
    provider: "whatsapp_cloud",
    name: "Sales WhatsApp",
    status: "ready",
    phone_number: "+351912345678",
    widget_key: null,
    widget: null,
    webhook_url: "https://parley.example/webhooks/whatsapp-cloud/i0000000-0000-4000-8000-0000000000c1",
    config: {
      phone_number_id: "106540352242922",
      waba_id: "102290129340398",
      graph_base_url: "https://graph.facebook.com/v25.0",
      has_access_token: true,
      has_app_secret: true,
      has_verify_token: false,
      messaging_limit: 250,
    },
    ...overrides,
  });

function setup(inboxes: Inbox[] = []) {
  setActivePinia(createPinia());
  const store = useInboxesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  store.inboxes = inboxes;
  store.loaded = true;
  const wrapper = mount(InboxSettings, { props: { canManage: true }, attachTo: document.body });
  return wrapper;
}

async function chooseCloud(wrapper: ReturnType<typeof setup>) {
  await wrapper.get('input[type="radio"][value="whatsapp_cloud"]').setValue(true);
  return wrapper.get('[data-testid="cloud-inbox-form"]');
}

async function fill(wrapper: ReturnType<typeof setup>, values: Record<string, string>) {
  for (const [id, value] of Object.entries(values)) await wrapper.get(`#cloud-${id}`).setValue(value);
}

const complete = {
  name: "Sales WhatsApp",
  phoneNumberId: "106540352242922",
  wabaId: "102290129340398",
  accessToken: "EAAGm0PX4ZCpsBA",
  appSecret: "s3cr3t",
  verifyToken: "tok-123",
};

describe("inbox settings: WhatsApp Cloud API", () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("lists each inbox's provider and status, and which Cloud secrets are set without their values", () => {
    const wrapper = setup([makeInbox(), cloudInbox({ status: "failed" })]);
    const rows = wrapper.findAll('[data-testid="inbox-list"] > li');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain("Web widget");
    expect(rows[1]!.text()).toContain("WhatsApp Cloud");
    expect(rows[1]!.get('[data-testid="inbox-status"]').text()).toBe("failed");
    const secrets = rows[1]!.findAll('[data-testid="inbox-secrets"] li').map((item) => item.text());
    expect(secrets).toEqual(["Access token set", "App secret set", "Verify token missing"]);
    expect(rows[1]!.text()).toContain("106540352242922");
  });

  it("shows what is missing or malformed by each field and sends nothing", async () => {
    const requests = fakeFetch({});
    const wrapper = setup();
    const form = await chooseCloud(wrapper);
    await fill(wrapper, { phoneNumberId: "+351 91", graphBaseUrl: "not a url" });
    await form.trigger("submit");
    expect(requests).toHaveLength(0);
    expect(wrapper.get("#cloud-name-note").text()).toBe("Give the inbox a name.");
    expect(wrapper.get("#cloud-phoneNumberId").attributes("aria-invalid")).toBe("true");
    expect(wrapper.get("#cloud-phoneNumberId-note").text()).toMatch(/digits only/);
    expect(wrapper.get("#cloud-accessToken-note").text()).toBe("Enter the access token.");
    expect(wrapper.get("#cloud-graphBaseUrl-note").text()).toMatch(/full URL/);
    // Fixing a field clears its message at once.
    await wrapper.get("#cloud-phoneNumberId").setValue("106540352242922");
    expect(wrapper.get("#cloud-phoneNumberId").attributes("aria-invalid")).toBeUndefined();
  });

  it("creates the inbox with the exact payload, then shows the webhook URL and verify token to copy", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const requests = fakeFetch({ [`POST ${inboxesPath}`]: () => jsonResponse(cloudInbox({ status: "disconnected" }), 201) });
    const wrapper = setup();
    const form = await chooseCloud(wrapper);
    await fill(wrapper, complete);
    await form.trigger("submit");
    await flushPromises();
    expect(requests).toEqual([
      {
        method: "POST",
        url: inboxesPath,
        body: {
          name: "Sales WhatsApp",
          provider: "whatsapp_cloud",
          config: {
            phone_number_id: "106540352242922",
            waba_id: "102290129340398",
            access_token: "EAAGm0PX4ZCpsBA",
            app_secret: "s3cr3t",
            verify_token: "tok-123",
          },
        },
      },
    ]);
    const done = wrapper.get('[data-testid="new-cloud-inbox"]');
    expect(done.text()).toContain("WhatsApp → Configuration");
    expect(done.get('[data-testid="webhook-url"]').text()).toBe(cloudInbox().webhook_url);
    expect(done.get('[data-testid="verify-token"]').text()).not.toContain("tok-123");
    await done.get('button[aria-label="Copy the webhook URL of Sales WhatsApp"]').trigger("click");
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(cloudInbox().webhook_url);
    await done.get('button[aria-label="Copy the verify token of Sales WhatsApp"]').trigger("click");
    expect(writeText).toHaveBeenLastCalledWith("tok-123");
    // The form is empty again and the new inbox is in the list.
    expect((wrapper.get("#cloud-accessToken").element as HTMLInputElement).value).toBe("");
    expect(wrapper.get('[data-testid="inbox-list"]').text()).toContain("Sales WhatsApp");
  });

  it("shows the server's verdict under the field it names, keeping what was typed", async () => {
    fakeFetch({
      [`POST ${inboxesPath}`]: () =>
        jsonResponse({ error: { code: "validation.invalid", message: "Meta does not know this phone number ID.", field: "config.phone_number_id" } }, 400),
    });
    const wrapper = setup();
    const form = await chooseCloud(wrapper);
    await fill(wrapper, complete);
    await form.trigger("submit");
    await flushPromises();
    expect(wrapper.get("#cloud-phoneNumberId-note").text()).toBe("Meta does not know this phone number ID.");
    expect(wrapper.get("#cloud-phoneNumberId").attributes("aria-invalid")).toBe("true");
    expect((wrapper.get("#cloud-accessToken").element as HTMLInputElement).value).toBe("EAAGm0PX4ZCpsBA");
    expect(wrapper.find('[data-testid="new-cloud-inbox"]').exists()).toBe(false);
  });
});

describe("inbox settings: deleting an inbox", () => {
  const whatsapp = makeInbox({
    id: "i0000000-0000-4000-8000-0000000000w1",
    provider: "whatsapp_web",
    name: "Toko WhatsApp",
    engine: "sandbox",
    widget_key: null,
    widget: null,
  });
  const deletePath = `${inboxesPath}/${whatsapp.id}`;
  const deleteButton = (wrapper: ReturnType<typeof setup>) => wrapper.get(`button[aria-label="Delete inbox ${whatsapp.name}"]`);

  afterEach(() => {
    vi.unstubAllGlobals();
    toasts.value = [];
    document.body.innerHTML = "";
  });

  it("asks first, saying what goes with it, and removes it from the list once the server agreed", async () => {
    const requests = fakeFetch({ [`DELETE ${deletePath}`]: () => jsonResponse(null, 204) });
    const wrapper = setup([makeInbox(), whatsapp]);
    await deleteButton(wrapper).trigger("click");
    const dialog = wrapper.get('[role="alertdialog"]');
    expect(dialog.text()).toContain("Delete “Toko WhatsApp”?");
    expect(dialog.text()).toContain("conversations and messages are deleted with it");
    expect(dialog.text()).toContain("WhatsApp number is unlinked");
    // Cancel is focused first: Enter does no harm.
    expect(document.activeElement?.textContent?.trim()).toBe("Cancel");
    expect(requests).toEqual([]);

    await wrapper.get('[data-testid="confirm-dialog-confirm"]').trigger("click");
    await flushPromises();
    expect(requests).toEqual([{ method: "DELETE", url: deletePath, body: undefined }]);
    expect(wrapper.findAll('[data-testid="inbox-list"] > li').map((row) => row.attributes("data-provider"))).toEqual(["web_widget"]);
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false);
    expect(wrapper.emitted("inbox-deleted")).toEqual([[whatsapp.id]]);
    expect(toasts.value.map((toast) => toast.text)).toEqual(["Deleted “Toko WhatsApp”."]);
  });

  it("changes nothing when cancelled, by the button or Esc", async () => {
    const requests = fakeFetch({});
    const wrapper = setup([whatsapp]);
    await deleteButton(wrapper).trigger("click");
    await wrapper.get('[role="alertdialog"] button').trigger("click");
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false);
    await deleteButton(wrapper).trigger("click");
    await wrapper.get('[role="alertdialog"]').trigger("keydown", { key: "Escape" });
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false);
    expect(requests).toEqual([]);
    expect(wrapper.findAll('[data-testid="inbox-list"] > li')).toHaveLength(1);
  });

  it("keeps the inbox and says why when the server refuses", async () => {
    fakeFetch({ [`DELETE ${deletePath}`]: () => jsonResponse({ error: { code: "auth.forbidden", message: "Only owners and admins can do that." } }, 403) });
    const wrapper = setup([whatsapp]);
    await deleteButton(wrapper).trigger("click");
    await wrapper.get('[data-testid="confirm-dialog-confirm"]').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="inbox-list"] > li')).toHaveLength(1);
    expect(wrapper.emitted("inbox-deleted")).toBeUndefined();
    expect(toasts.value.map((toast) => [toast.tone, toast.text])).toEqual([["error", "Couldn't delete “Toko WhatsApp”: Only owners and admins can do that."]]);
  });

  it("offers no delete to members who may not manage inboxes", () => {
    setActivePinia(createPinia());
    const store = useInboxesStore();
    store.reset({ workspaceId, me: { id: "me", name: "Agent" } });
    store.inboxes = [whatsapp];
    store.loaded = true;
    const wrapper = mount(InboxSettings, { props: { canManage: false } });
    expect(wrapper.find(`button[aria-label="Delete inbox ${whatsapp.name}"]`).exists()).toBe(false);
  });
});

describe("inbox settings: the primary WhatsApp number", () => {
  const first = makeInbox({
    id: "i0000000-0000-4000-8000-0000000000a1",
    provider: "whatsapp_web",
    name: "Toko",
    engine: "sandbox",
    widget_key: null,
    widget: null,
    is_primary: true,
  });
  const second = makeInbox({
    id: "i0000000-0000-4000-8000-0000000000a2",
    provider: "whatsapp_web",
    name: "Cadangan",
    engine: "sandbox",
    widget_key: null,
    widget: null,
    is_primary: false,
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    toasts.value = [];
  });

  it("makes another number primary, and only one shows as primary", async () => {
    const requests = fakeFetch({ [`PATCH ${inboxesPath}/${second.id}`]: () => jsonResponse({ ...second, is_primary: true }) });
    const wrapper = setup([first, second]);
    expect(wrapper.findAll('[data-testid="inbox-primary"]')).toHaveLength(1);
    await wrapper.get(`[data-testid="primary-toggle-${second.id}"]`).trigger("click");
    await flushPromises();
    expect(requests).toEqual([{ method: "PATCH", url: `${inboxesPath}/${second.id}`, body: { is_primary: true } }]);
    const rows = wrapper.findAll('[data-testid="inbox-list"] > li');
    expect(rows.map((row) => row.find('[data-testid="inbox-primary"]').exists())).toEqual([false, true]);
    expect(toasts.value.map((toast) => toast.text)).toEqual(["Replies fail over to “Cadangan” when their own number is not connected."]);
  });

  it("keeps the flags as they were when the server refuses, and offers no toggle with a single number", async () => {
    fakeFetch({
      [`PATCH ${inboxesPath}/${second.id}`]: () => jsonResponse({ error: { code: "auth.forbidden", message: "Only owners and admins can do that." } }, 403),
    });
    const wrapper = setup([first, second]);
    await wrapper.get(`[data-testid="primary-toggle-${second.id}"]`).trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="inbox-list"] > li').map((row) => row.find('[data-testid="inbox-primary"]').exists())).toEqual([true, false]);
    expect(toasts.value.map((toast) => toast.tone)).toEqual(["error"]);
    expect(setup([first]).find(`[data-testid="primary-toggle-${first.id}"]`).exists()).toBe(false);
  });
});
