import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, makeContact, makeConversation } from "../../../testing/factories.ts";
import { useConversationsStore } from "./conversations.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";

afterEach(() => vi.unstubAllGlobals());

describe("conversation list store, contact.updated", () => {
  it("shows a contact's opt-out on every loaded conversation with them, without their custom attributes", async () => {
    setActivePinia(createPinia());
    const store = useConversationsStore();
    store.reset({ workspaceId, me: { id: "me", name: "Me" } });
    const conversation = makeConversation();
    const other = makeConversation({ contact: { ...conversation.contact!, id: "contact-2" } });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse({ data: [conversation, other], next_cursor: null })),
    );
    await store.load();
    const contact = makeContact({
      id: conversation.contact!.id,
      opted_out_at: "2026-11-29T08:40:00.000Z",
      opt_out_source: "keyword",
      custom_attributes: { city: "Solo" },
    });
    store.applyContact(contact);
    expect(store.get(conversation.id)!.contact).toMatchObject({ opted_out_at: "2026-11-29T08:40:00.000Z", opt_out_source: "keyword" });
    expect(store.get(conversation.id)!.contact).not.toHaveProperty("custom_attributes");
    expect(store.get(other.id)!.contact!.opted_out_at).toBeNull();
  });
});
