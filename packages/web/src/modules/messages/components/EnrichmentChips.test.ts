/** Agents correct a customer message's intent and sentiment from its chips; the store sends the PATCH and shows the answer. */
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeEnrichment, makeMessage } from "../../../testing/factories.ts";
import { toasts } from "../../../ui/toasts.ts";
import { toThreadMessage } from "../lib/message-list.ts";
import { useMessagesStore } from "../store/messages.store.ts";
import MessageBubble from "./MessageBubble.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;

function bubble(canReply = true) {
  const message = toThreadMessage(
    makeMessage({ direction: "inbound", body: "Barangnya rusak", conversation_id: conversationId, enrichment: makeEnrichment() }),
  );
  const wrapper = mount(MessageBubble, {
    props: { message, firstInGroup: true, lastInGroup: true, senderName: "", nameOf: () => "Ana", canReply },
    attachTo: document.body,
  });
  return { wrapper, message };
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
  toasts.value = [];
});

describe("the correct-it menu on enrichment chips", () => {
  it("offers every intent and sentiment with the current ones checked, and emits only the field picked", async () => {
    const { wrapper, message } = bubble();
    await wrapper.get('button[aria-label="Correct intent or sentiment"]').trigger("click");
    const checked = wrapper.findAll('[role="menuitemradio"][aria-checked="true"]').map((item) => item.text());
    expect(checked).toEqual(["Complaint", "negative"]);
    expect(wrapper.findAll("[data-intent]").map((item) => item.text())).toEqual(["Purchase", "Support", "Question", "Complaint", "Compliment", "General"]);
    await wrapper.get('[data-intent="support"]').trigger("click");
    expect(wrapper.emitted("correct")).toEqual([[message.id, { intent: "support" }]]);
    expect(wrapper.find('[role="menu"]').exists()).toBe(false);
    await wrapper.get('button[aria-label="Correct intent or sentiment"]').trigger("click");
    await wrapper.get('[data-sentiment="neutral"]').trigger("click");
    expect(wrapper.emitted("correct")?.[1]).toEqual([message.id, { sentiment: "neutral" }]);
    // The value it already has is no correction.
    await wrapper.get('button[aria-label="Correct intent or sentiment"]').trigger("click");
    await wrapper.get('[data-intent="complaint"]').trigger("click");
    expect(wrapper.emitted("correct")).toHaveLength(2);
  });

  it("is not offered to viewers, who still see the chips", () => {
    const { wrapper } = bubble(false);
    expect(wrapper.find('button[aria-label="Correct intent or sentiment"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="intent-chip"]').text()).toBe("Complaint");
  });

  it("sends PATCH …/enrichment with the correction and shows the corrected labels in place", async () => {
    const inbound = makeMessage({ direction: "inbound", body: "Barangnya rusak", conversation_id: conversationId, enrichment: makeEnrichment() });
    const corrected = { ...inbound, enrichment: { ...makeEnrichment(), intent: { name: "support" as const, confidence: 1 } } };
    const requests = fakeFetch({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [inbound], next_cursor: null }),
      [`PATCH /api/v1/workspaces/${workspaceId}/messages/${inbound.id}/enrichment`]: () => jsonResponse(corrected),
    });
    setActivePinia(createPinia());
    const store = useMessagesStore();
    store.reset({ workspaceId, me: { id: "me", name: "Agent" } });
    await store.open(conversationId);
    await store.correctEnrichment(conversationId, inbound.id, { intent: "support" });
    expect(requests.at(-1)).toEqual({
      method: "PATCH",
      url: `/api/v1/workspaces/${workspaceId}/messages/${inbound.id}/enrichment`,
      body: { intent: "support" },
    });
    expect(store.thread(conversationId).items[0]!.enrichment?.intent).toEqual({ name: "support", confidence: 1 });
    expect(toasts.value.map((toast) => toast.text)).toEqual(["Correction saved. Parley learns from it."]);
  });

  it("keeps the labels and says why when the server refuses", async () => {
    const inbound = makeMessage({ direction: "inbound", body: "Barangnya rusak", conversation_id: conversationId, enrichment: makeEnrichment() });
    fakeFetch({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [inbound], next_cursor: null }),
      "PATCH ": () => jsonResponse({ error: { code: "auth.forbidden", message: "A member with the viewer role cannot do this." } }, 403),
    });
    setActivePinia(createPinia());
    const store = useMessagesStore();
    store.reset({ workspaceId, me: { id: "me", name: "Agent" } });
    await store.open(conversationId);
    await store.correctEnrichment(conversationId, inbound.id, { sentiment: "positive" });
    await flushPromises();
    expect(store.thread(conversationId).items[0]!.enrichment).toEqual(makeEnrichment());
    expect(toasts.value.map((toast) => toast.text)).toEqual(["Couldn't save the correction: A member with the viewer role cannot do this."]);
  });
});
