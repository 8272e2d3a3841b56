import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Conversation } from "../../lib/types.ts";
import { useSessionStore } from "../../modules/auth/store/session.store.ts";
import { useConversationsStore } from "../../modules/conversations/store/conversations.store.ts";
import { useMessagesStore } from "../../modules/messages/store/messages.store.ts";
import { fakeFetch, fakeXhr } from "../../testing/fake-server.ts";
import { jsonResponse, makeConversation, makeMessage } from "../../testing/factories.ts";
import { linkStores, resetWorkspaceStores } from "../workspace-stores.ts";
import ThreadPane from "./ThreadPane.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const inboxId = "i0000000-0000-4000-8000-0000000000c1";
const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;
const templatesPath = `/api/v1/workspaces/${workspaceId}/inboxes/${inboxId}/templates`;
const banner = "The 24-hour customer service window has closed. You can only send an approved template.";

const templates = [
  { name: "order_update", language: "en_US", status: "APPROVED", category: "UTILITY", body: "Hi {{1}}, your order {{2}} ships today.", variable_count: 2 },
  { name: "welcome_back", language: "pt_BR", status: "APPROVED", category: "MARKETING", body: "Olá! Sentimos sua falta.", variable_count: 0 },
  { name: "draft_offer", language: "en_US", status: "PENDING", category: "MARKETING", body: "Not yet approved", variable_count: 0 },
];

function setup(window: Conversation["window"], routes: Parameters<typeof fakeFetch>[0] = {}) {
  setActivePinia(createPinia());
  linkStores();
  const session = useSessionStore();
  session.token = "t";
  session.user = { id: "me", name: "Me Agent", email: "me@example.com", locale: "en" };
  session.workspaces = [{ id: workspaceId, name: "Acme", slug: "acme", role: "agent" }];
  session.workspaceId = workspaceId;
  resetWorkspaceStores({ workspaceId, me: { id: "me", name: "Me Agent" } });
  const requests = fakeFetch({ [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }), ...routes });
  useConversationsStore().upsert(
    makeConversation({ id: conversationId, inbox_id: inboxId, inbox: { id: inboxId, name: "Sales", provider: "whatsapp_cloud" }, window }),
  );
  const wrapper = mount(ThreadPane, { props: { conversationId, narrow: false, shown: true }, attachTo: document.body });
  return { wrapper, requests };
}

describe("thread pane: customer-service window", () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("keeps the composer while the window is open", async () => {
    const { wrapper } = setup({ open: true, closes_at: new Date(Date.now() + 3_600_000).toISOString() });
    await flushPromises();
    expect(wrapper.find("textarea").exists()).toBe(true);
    expect(wrapper.text()).not.toContain(banner);
  });

  it("replaces the composer with the banner, and sends a template with its variables filled", async () => {
    const { wrapper, requests } = setup(
      { open: false, closes_at: "2024-03-06T09:00:00.000Z" },
      {
        [`GET ${templatesPath}`]: () => jsonResponse({ data: templates }),
        [`POST ${messagesPath}`]: (body) =>
          jsonResponse(
            makeMessage({
              conversation_id: conversationId,
              direction: "outbound",
              type: "template",
              body: "Hi Ana, your order #4411 ships today.",
              template: body.template,
              client_message_id: body.client_message_id,
            }),
            201,
          ),
      },
    );
    await flushPromises();
    expect(wrapper.find("textarea").exists()).toBe(false);
    expect(wrapper.get('[data-testid="window-closed"]').text()).toContain(banner);

    await wrapper.get('[data-testid="window-closed"] button').trigger("click");
    await flushPromises();
    const options = wrapper.findAll('[data-testid="template-option"]');
    // Only approved templates can be sent.
    expect(options.map((option) => option.text())).toEqual([expect.stringContaining("order_update"), expect.stringContaining("welcome_back")]);
    expect(options[0]!.text()).toContain("Hi {{1}}, your order {{2}} ships today.");

    await options[0]!.trigger("click");
    const preview = () => wrapper.get('[data-testid="template-preview"]').text();
    const send = () => wrapper.get('[data-testid="template-picker"] button[type="submit"]');
    expect(preview()).toBe("Hi {{1}}, your order {{2}} ships today.");
    expect(send().attributes("disabled")).toBeDefined();
    await wrapper.get('[data-testid="template-variable-1"]').setValue("Ana");
    expect(preview()).toBe("Hi Ana, your order {{2}} ships today.");
    await wrapper.get('[data-testid="template-variable-2"]').setValue(" #4411 ");
    expect(preview()).toBe("Hi Ana, your order  #4411  ships today.");
    expect(send().attributes("disabled")).toBeUndefined();

    await wrapper.get('[data-testid="template-picker"] form').trigger("submit");
    await flushPromises();
    const post = requests.find((request) => request.method === "POST")!;
    expect(post.body).toEqual({ client_message_id: expect.any(String), template: { name: "order_update", language: "en_US", variables: ["Ana", "#4411"] } });
    const items = useMessagesStore().thread(conversationId).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: "template", body: "Hi Ana, your order #4411 ships today.", status: "sent" });
    // The picker closes; the banner stays until the customer writes again.
    expect(wrapper.find('[data-testid="template-picker"]').exists()).toBe(false);
    expect(wrapper.text()).toContain(banner);
  });

  it("switches to the banner when the server answers 422 window_closed, and back when the customer writes", async () => {
    const { wrapper } = setup(
      { open: true, closes_at: null },
      {
        [`POST ${messagesPath}`]: () =>
          jsonResponse({ error: { code: "conversations.window_closed", message: "The customer service window has closed." } }, 422),
      },
    );
    await flushPromises();
    await wrapper.get("textarea").setValue("Are you still there?");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.text()).toContain(banner);
    const [failed] = useMessagesStore().thread(conversationId).items;
    expect(failed).toMatchObject({ status: "failed", failed_reason: "The 24-hour customer service window has closed. Send an approved template instead." });

    useConversationsStore().applyMessage(makeMessage({ conversation_id: conversationId, direction: "inbound", body: "Yes!", at: Date.now() + 1000 }));
    await flushPromises();
    expect(wrapper.find("textarea").exists()).toBe(true);
  });

  it("attaches a file dropped on the thread", async () => {
    const uploads = fakeXhr();
    URL.createObjectURL = vi.fn(() => "blob:drop");
    const { wrapper } = setup(null);
    await flushPromises();
    const zone = wrapper.get('[data-testid="drop-zone"]');
    const file = new File(["%PDF"], "quote.pdf", { type: "application/pdf" });
    const dataTransfer = { types: ["Files"], files: [file], dropEffect: "none" };
    const dragEnter = new Event("dragenter", { bubbles: true, cancelable: true });
    Object.defineProperty(dragEnter, "dataTransfer", { value: dataTransfer });
    zone.element.dispatchEvent(dragEnter);
    await flushPromises();
    expect(wrapper.find('[data-testid="drop-overlay"]').exists()).toBe(true);
    const drop = new Event("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(drop, "dataTransfer", { value: dataTransfer });
    zone.element.dispatchEvent(drop);
    await flushPromises();
    expect(drop.defaultPrevented).toBe(true);
    expect(wrapper.find('[data-testid="drop-overlay"]').exists()).toBe(false);
    expect(uploads).toHaveLength(1);
    expect(wrapper.get('[data-testid="attachment-chip"]').text()).toContain("quote.pdf");
  });
});
