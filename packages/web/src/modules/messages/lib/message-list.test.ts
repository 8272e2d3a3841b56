import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../../lib/ids.ts";
import type { ThreadMessage } from "../../../lib/types.ts";
import { makeMessage } from "../../../testing/factories.ts";
import { addOptimistic, applyStatus, setLocalState, toThreadMessage, upsertMessages } from "./message-list.ts";

const thread = (...messages: ReturnType<typeof makeMessage>[]) => messages.map(toThreadMessage);

function optimistic(body: string): ThreadMessage {
  const clientId = uuidv7();
  return {
    ...makeMessage({ body, direction: "outbound", status: "pending", client_message_id: clientId, sender: { type: "agent", id: "me", name: "Me", jid: null } }),
    id: clientId,
    key: clientId,
    local: "sending",
  };
}

describe("optimistic reconciliation", () => {
  it("turns the optimistic bubble into the server's message, keeping its key and place", () => {
    const before = makeMessage({ body: "Hi" });
    const mine = optimistic("On my way");
    let items = addOptimistic(thread(before), mine);
    expect(items.map((m) => [m.body, m.status])).toEqual([
      ["Hi", "sent"],
      ["On my way", "pending"],
    ]);

    const confirmed = makeMessage({
      body: "On my way",
      direction: "outbound",
      status: "sent",
      client_message_id: mine.client_message_id,
      sender: { type: "agent", id: "me", name: null, jid: null },
    });
    items = upsertMessages(items, [confirmed]);
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ id: confirmed.id, key: mine.key, status: "sent", body: "On my way" });
    expect(items[1]!.local).toBeUndefined();

    // The socket's message.sent for the same message changes nothing.
    expect(upsertMessages(items, [confirmed])).toBe(items);
  });

  it("reconciles when the socket event beats the POST answer, without a second bubble", () => {
    const mine = optimistic("Fast socket");
    let items = addOptimistic([], mine);
    const fromSocket = makeMessage({ body: "Fast socket", direction: "outbound", status: "delivered", client_message_id: mine.client_message_id });
    items = upsertMessages(items, [fromSocket]);
    items = upsertMessages(items, [{ ...fromSocket, status: "sent" }]); // the POST answer, older news
    expect(items).toHaveLength(1);
    expect(items[0]!.status).toBe("delivered");
  });

  it("marks a failed POST and lets a retry go back to sending", () => {
    const mine = optimistic("Flaky");
    let items = addOptimistic([], mine);
    items = setLocalState(items, mine.client_message_id!, "failed", "Can't reach Parley.");
    expect(items[0]).toMatchObject({ status: "failed", local: "failed", failed_reason: "Can't reach Parley." });
    items = setLocalState(items, mine.client_message_id!, "sending");
    expect(items[0]).toMatchObject({ status: "pending", local: "sending" });
    // The server had the first attempt after all: its answer replaces the failure.
    items = setLocalState(items, mine.client_message_id!, "failed", "timeout");
    items = upsertMessages(items, [makeMessage({ direction: "outbound", status: "sent", client_message_id: mine.client_message_id, body: "Flaky" })]);
    expect(items[0]).toMatchObject({ status: "sent" });
    expect(items[0]!.local).toBeUndefined();
  });
});

describe("catch-up merge", () => {
  it("keeps one copy of a message the socket and the catch-up both delivered", () => {
    const a = makeMessage({ body: "a" });
    const b = makeMessage({ body: "b" });
    const missed = makeMessage({ body: "missed while offline" });
    let items = upsertMessages([], [a, b]); // the socket delivered these
    items = upsertMessages(items, [b, missed, a]); // the catch-up returns them again, plus one
    expect(items.map((m) => m.body)).toEqual(["a", "b", "missed while offline"]);
  });

  it("never moves a status backwards when the catch-up carries an older snapshot", () => {
    const reply = makeMessage({ direction: "outbound", status: "sent", client_message_id: "c-1" });
    let items = upsertMessages([], [reply]);
    items = applyStatus(items, { message_id: reply.id, client_message_id: "c-1", status: "read", at: "2024-03-07T10:00:00.000Z" });
    items = upsertMessages(items, [{ ...reply, status: "delivered" }]);
    expect(items[0]).toMatchObject({ status: "read", read_at: "2024-03-07T10:00:00.000Z" });
  });

  it("inserts older pages and late arrivals in time order", () => {
    const messages = Array.from({ length: 6 }, (_, index) => makeMessage({ body: String(index) }));
    let items = upsertMessages([], messages.slice(3));
    items = upsertMessages(items, messages.slice(0, 3));
    items = upsertMessages(items, [messages[4]!, makeMessage({ body: "new" })]);
    expect(items.map((m) => m.body)).toEqual(["0", "1", "2", "3", "4", "5", "new"]);
  });

  it("ignores a status update for a message it does not hold", () => {
    const items = upsertMessages([], [makeMessage()]);
    expect(applyStatus(items, { message_id: uuidv7(), client_message_id: null, status: "read" })).toBe(items);
  });
});

describe("edits and deletes for everyone", () => {
  it("replace the message in place: an edit changes the text, a delete drops text and attachment", () => {
    const original = makeMessage({
      body: "lihat foto",
      type: "image",
      media: { id: "m1", mime: "image/jpeg", size: 10, url: "/media/m1", filename: null },
    });
    const items = thread(original);
    const edited = upsertMessages(items, [{ ...original, body: "lihat foto ini", edited_at: "2026-11-29T10:00:00.000Z" }]);
    expect(edited).toHaveLength(1);
    expect(edited[0]).toMatchObject({ body: "lihat foto ini", edited_at: "2026-11-29T10:00:00.000Z", media: { id: "m1" } });
    const deleted = upsertMessages(edited, [{ ...original, body: null, media: null, deleted_at: "2026-11-29T10:01:00.000Z" }]);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ body: null, media: null, deleted_at: "2026-11-29T10:01:00.000Z" });
  });
});
