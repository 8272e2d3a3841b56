import { flushPromises } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeConversation, makeMessage } from "../../../testing/factories.ts";
import { useConversationsStore } from "./conversations.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const at = (minute: number) => Date.UTC(2024, 2, 7, 9, minute);

describe("conversation list store", () => {
  const older = makeConversation({ last_message: makeMessage({ at: at(1), body: "older" }) });
  const newer = makeConversation({ last_message: makeMessage({ at: at(2), body: "newer" }), unread_count: 1 });

  /** What the list told the per-inbox totals: [inboxId, delta] per change, "unknown" for a recount. */
  let unread: Array<[string, number] | "unknown">;

  beforeEach(async () => {
    setActivePinia(createPinia());
    const store = useConversationsStore();
    store.reset({ workspaceId, me: { id: "me", name: "Me" } });
    unread = [];
    store.onUnread({ changed: (inboxId, delta) => unread.push([inboxId, delta]), unknown: () => unread.push("unknown") });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse({ data: [newer, older], next_cursor: null })),
    );
    await store.load();
    // A first page's conversations with unread messages ask for a recount: start counting after it.
    expect(unread).toEqual(["unknown"]);
    unread = [];
  });
  afterEach(() => vi.unstubAllGlobals());

  it("moves a conversation to the top when a message arrives, and counts its unread live", () => {
    const store = useConversationsStore();
    expect(store.ids).toEqual([newer.id, older.id]);
    const message = makeMessage({ at: at(3), conversation_id: older.id, body: "just now" });
    store.applyMessage(message);
    expect(store.ids).toEqual([older.id, newer.id]);
    expect(store.get(older.id)!.last_message!.body).toBe("just now");
    store.upsert({ ...store.get(older.id)!, last_message: message, last_message_at: message.created_at, unread_count: 2, updated_at: message.created_at });
    expect(unread).toEqual([[older.inbox_id, 2]]);
  });

  it("reports unread changes for the inbox totals: a read (then a recount, as the server has it now), a new conversation, and an unknown one to recount", async () => {
    const store = useConversationsStore();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse({ ...newer, unread_count: 0 })),
    );
    await store.markRead(newer.id);
    expect(store.get(newer.id)!.unread_count).toBe(0);
    const created = makeConversation({ unread_count: 1 });
    store.upsert(created, true);
    store.upsert(makeConversation({ unread_count: 4 }));
    expect(unread).toEqual([[newer.inbox_id, -1], "unknown", [created.inbox_id, 1], "unknown"]);
  });

  it("ignores an event older than what it holds", () => {
    const store = useConversationsStore();
    store.upsert({ ...newer, unread_count: 0, updated_at: "2024-03-07T10:00:00.000Z" });
    store.upsert({ ...newer, unread_count: 5, updated_at: "2024-03-07T09:30:00.000Z" });
    expect(store.get(newer.id)!.unread_count).toBe(0);
  });

  it("drops a conversation from a filtered view when it stops matching", async () => {
    const store = useConversationsStore();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse({ data: [newer, older], next_cursor: null })),
    );
    await store.setFilters({ status: "open" });
    store.upsert({ ...older, status: "resolved", updated_at: "2024-03-07T10:00:00.000Z" });
    expect(store.ids).toEqual([newer.id]);
  });

  it("forgets a deleted inbox's conversations, and stops filtering by that inbox", async () => {
    const store = useConversationsStore();
    const gone = "i0000000-0000-4000-8000-0000000000d1";
    const fromGone = makeConversation({ inbox_id: gone, last_message: makeMessage({ at: at(3), body: "from the deleted inbox" }) });
    store.upsert(fromGone);
    expect(store.ids).toEqual([fromGone.id, newer.id, older.id]);
    store.forgetInbox(gone);
    expect(store.ids).toEqual([newer.id, older.id]);
    expect(store.get(fromGone.id)).toBeUndefined();

    const requests = fakeFetch({ "GET /api/v1/workspaces/": () => jsonResponse({ data: [newer, older], next_cursor: null }) });
    await store.setFilters({ inboxId: gone });
    store.forgetInbox(gone);
    await flushPromises();
    expect(store.filters.inboxId).toBeNull();
    expect(requests.at(-1)!.url).not.toContain(gone);
    expect(store.ids).toEqual([newer.id, older.id]);
  });
});

describe("the label filter", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks the server for the label's conversations; live, a listed one stays and no other joins", async () => {
    setActivePinia(createPinia());
    const store = useConversationsStore();
    store.reset({ workspaceId, me: { id: "me", name: "Me" } });
    const vip = makeConversation({ last_message: makeMessage({ at: at(1), body: "vip" }) });
    const requests = fakeFetch({ [`GET /api/v1/workspaces/${workspaceId}/conversations`]: () => jsonResponse({ data: [vip], next_cursor: null }) });
    await store.setFilters({ label: "vip" });
    expect(requests.at(-1)!.url).toBe(`/api/v1/workspaces/${workspaceId}/conversations?label=vip&limit=50`);
    expect(store.ids).toEqual([vip.id]);

    const other = makeConversation({ last_message: makeMessage({ at: at(5), body: "someone else" }) });
    store.upsert(other, true);
    const message = makeMessage({ at: at(6), conversation_id: vip.id, body: "still vip" });
    store.applyMessage(message);
    await flushPromises();
    expect(store.ids).toEqual([vip.id]);
    expect(store.get(vip.id)!.last_message!.body).toBe("still vip");

    await store.setFilters({ label: null });
    expect(requests.at(-1)!.url).toBe(`/api/v1/workspaces/${workspaceId}/conversations?limit=50`);
  });
});
