import { describe, expect, it } from "vitest";
import type { Conversation } from "../../../lib/types.ts";
import { makeConversation, makeMessage } from "../../../testing/factories.ts";
import { matchesFilters, noFilters, placeConversation } from "./conversation-order.ts";
import { previewText } from "../../../ui/conversation-text.ts";

function listOf(...conversations: Conversation[]) {
  const map = new Map(conversations.map((c) => [c.id, c]));
  return { map, get: (id: string) => map.get(id) };
}

describe("conversation order", () => {
  it("moves a conversation with a new message to the top", () => {
    const old = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 7, 9) }) });
    const mid = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 7, 10) }) });
    const top = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 7, 11) }) });
    const list = listOf(old, mid, top);
    let ids: readonly string[] = [top.id, mid.id, old.id];
    const bumped = { ...old, last_message_at: "2024-03-07T12:00:00.000Z" };
    list.map.set(old.id, bumped);
    ids = placeConversation(ids, bumped, list.get, true, true);
    expect(ids).toEqual([old.id, top.id, mid.id]);
  });

  it("removes a conversation that no longer matches and leaves older unseen ones to paging", () => {
    const a = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 7, 11) }) });
    const b = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 7, 10) }) });
    const older = makeConversation({ last_message: makeMessage({ at: Date.UTC(2024, 2, 1, 10) }) });
    const list = listOf(a, b, older);
    expect(placeConversation([a.id, b.id], a, list.get, false, true)).toEqual([b.id]);
    expect(placeConversation([a.id, b.id], older, list.get, true, false)).toEqual([a.id, b.id]);
    expect(placeConversation([a.id, b.id], older, list.get, true, true)).toEqual([a.id, b.id, older.id]);
  });
});

describe("filters", () => {
  const conversation = makeConversation({ status: "pending", assignee_id: "me" });
  it("screens by inbox, status, assignee and text", () => {
    expect(matchesFilters(conversation, noFilters, "me")).toBe(true);
    expect(matchesFilters(conversation, { ...noFilters, status: "open" }, "me")).toBe(false);
    expect(matchesFilters(conversation, { ...noFilters, assignee: "me" }, "me")).toBe(true);
    expect(matchesFilters(conversation, { ...noFilters, assignee: "none" }, "me")).toBe(false);
    expect(matchesFilters(conversation, { ...noFilters, inboxId: "other" }, "me")).toBe(false);
    expect(matchesFilters(conversation, { ...noFilters, q: "ana" }, "me")).toBe(true);
    expect(matchesFilters(conversation, { ...noFilters, q: "zebra" }, "me")).toBe(false);
  });
});

describe("preview", () => {
  it("names the sender in groups and says You for my replies", () => {
    const group = makeConversation({
      kind: "group",
      group: { jid: "1@g.us", subject: "Team", participant_count: 3 },
      contact: null,
      last_message: makeMessage({ body: "Lunch?", sender: { type: "contact", id: "x", name: "Maria", jid: null } }),
    });
    expect(previewText(group, "me")).toEqual({ prefix: "Maria", text: "Lunch?" });
    const mine = makeConversation({
      last_message: makeMessage({ direction: "outbound", body: "Done", sender: { type: "agent", id: "me", name: null, jid: null } }),
    });
    expect(previewText(mine, "me")).toEqual({ prefix: "You", text: "Done" });
    const photo = makeConversation({ last_message: makeMessage({ type: "image", body: null }) });
    expect(previewText(photo, "me").text).toBe("Photo");
    const captioned = makeConversation({ last_message: makeMessage({ type: "image", body: "The blue one" }) });
    expect(previewText(captioned, "me").text).toBe("The blue one");
  });
});
