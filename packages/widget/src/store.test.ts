import { describe, expect, it } from "vitest";
import type { Message, StatusUpdate } from "./protocol.ts";
import { MessageStore } from "./store.ts";

function msg(over: Partial<Message> & { id: string }): Message {
  return {
    conversation_id: "c1",
    direction: "outbound",
    type: "text",
    body: "hi",
    status: "sent",
    provider_message_id: null,
    client_message_id: null,
    reply_to_id: null,
    sender: { type: "agent", id: "a1", name: "Ana", jid: null },
    failed_reason: null,
    media: null,
    template: null,
    location: null,
    contacts: null,
    reply_to: null,
    created_at: "2025-01-01T10:00:00.000Z",
    sent_at: null,
    delivered_at: null,
    read_at: null,
    sent_from_phone: false,
    deleted_at: null,
    edited_at: null,
    sent_via: null,
    enrichment: null,
    ...over,
  };
}

function update(over: Partial<StatusUpdate> & Pick<StatusUpdate, "message_id" | "status">): StatusUpdate {
  return { conversation_id: "c1", client_message_id: null, provider_message_id: null, failed_reason: null, timestamp: "2025-01-01T10:02:00.000Z", ...over };
}

function local(store: MessageStore, cmid: string, body = "hello") {
  return store.addLocal({ body, client_message_id: cmid, conversation_id: "c1", created_at: "2025-01-01T10:00:00.000Z" });
}

describe("MessageStore", () => {
  it("dedupes the same message arriving from several sources", () => {
    const store = new MessageStore();
    expect(store.upsert(msg({ id: "0190a" }))).toBe("added");
    expect(store.upsert(msg({ id: "0190a" }))).toBe("unchanged");
    expect(store.upsert(msg({ id: "0190a", status: "delivered" }))).toBe("updated");
    expect(store.entries).toHaveLength(1);
    expect(store.entries[0]!.status).toBe("delivered");
  });

  it("keeps entries in id (UUIDv7 time) order, unconfirmed ones last", () => {
    const store = new MessageStore();
    store.upsert(msg({ id: "0190c" }));
    local(store, "k1");
    store.upsert(msg({ id: "0190a" }));
    store.upsert(msg({ id: "0190b" }));
    expect(store.entries.map((e) => e.id)).toEqual(["0190a", "0190b", "0190c", null]);
    expect(store.lastId()).toBe("0190c");
  });

  it("reconciles an optimistic message by client_message_id, keeping its key", () => {
    const store = new MessageStore();
    const optimistic = local(store, "k1");
    expect(optimistic.status).toBe("pending");
    expect(optimistic.id).toBeNull();
    const server = msg({ id: "0190a", direction: "inbound", client_message_id: "k1", status: "sent", body: "hello" });
    expect(store.upsert(server)).toBe("updated");
    // The socket echo of the same message changes nothing.
    expect(store.upsert(server)).toBe("unchanged");
    expect(store.entries).toHaveLength(1);
    expect(store.entries[0]).toMatchObject({ id: "0190a", status: "sent", key: optimistic.key });
  });

  it("reconciles when the echo (by id) arrives before the POST answer", () => {
    const store = new MessageStore();
    local(store, "k1");
    store.upsert(msg({ id: "0190a", direction: "inbound", client_message_id: "k1", status: "delivered" }));
    store.upsert(msg({ id: "0190a", direction: "inbound", client_message_id: "k1", status: "sent" }));
    expect(store.entries).toHaveLength(1);
    expect(store.entries[0]!.status).toBe("delivered");
  });

  it("applies status updates monotonically and replaces the entry object on change", () => {
    const store = new MessageStore();
    store.upsert(msg({ id: "0190a", direction: "inbound", client_message_id: "k1" }));
    const before = store.entries[0];
    expect(store.applyStatus(update({ message_id: "0190a", status: "read", timestamp: "2025-01-01T10:01:00.000Z" }))).toBe(true);
    expect(store.entries[0]).not.toBe(before);
    expect(store.entries[0]!.read_at).toBe("2025-01-01T10:01:00.000Z");
    expect(store.applyStatus(update({ message_id: "0190a", status: "delivered" }))).toBe(false);
    expect(store.applyStatus(update({ message_id: "0190a", status: "failed" }))).toBe(false);
    expect(store.entries[0]!.status).toBe("read");
    expect(store.applyStatus(update({ message_id: "nope", status: "read" }))).toBe(false);
  });

  it("finds an unconfirmed message for a status update by client_message_id", () => {
    const store = new MessageStore();
    local(store, "k1");
    expect(store.applyStatus(update({ message_id: "0190a", client_message_id: "k1", status: "delivered" }))).toBe(true);
    expect(store.entries[0]).toMatchObject({ id: "0190a", status: "delivered" });
  });

  it("marks a failed send, retries it as pending, and lets the server's copy win over a local failure", () => {
    const store = new MessageStore();
    local(store, "k1");
    expect(store.markFailed("k1")).toBe(true);
    expect(store.entries[0]!.status).toBe("failed");
    expect(store.resend("k1")!.status).toBe("pending");
    expect(store.resend("k1")).toBeNull();
    store.markFailed("k1");
    // The POST had in fact reached the server: its echo arrives.
    store.upsert(msg({ id: "0190a", direction: "inbound", client_message_id: "k1", status: "sent" }));
    expect(store.entries[0]!.status).toBe("sent");
    // A confirmed message cannot be marked failed by our own POST bookkeeping any more.
    expect(store.markFailed("k1")).toBe(false);
  });
});
