import { describe, expect, it } from "vitest";
import { makeMessage } from "../../../testing/factories.ts";
import { toThreadMessage } from "./message-list.ts";
import { buildThreadRows } from "./thread-rows.ts";

const at = (day: number, hour: number, minute = 0) => new Date(2024, 2, day, hour, minute).getTime();
const now = new Date(2024, 2, 7, 18, 0);

describe("thread rows", () => {
  it("puts a day separator before each new day and groups consecutive messages of one sender", () => {
    const messages = [
      makeMessage({ at: at(6, 9), body: "y1" }),
      makeMessage({ at: at(7, 9), body: "t1" }),
      makeMessage({ at: at(7, 9, 1), body: "t2" }),
      makeMessage({ at: at(7, 9, 2), body: "reply", direction: "outbound", sender: { type: "agent", id: "u1", name: null, jid: null } }),
      makeMessage({ at: at(7, 9, 30), body: "t3 much later" }),
    ].map(toThreadMessage);
    const rows = buildThreadRows(messages, { atStart: true, now, locale: "en-GB" });
    expect(
      rows.map((row) =>
        row.kind === "message"
          ? `${row.message.body}${row.firstInGroup ? "<" : ""}${row.lastInGroup ? ">" : ""}`
          : row.kind === "day"
            ? `[${row.label}]`
            : row.kind,
      ),
    ).toEqual(["start", "[Yesterday]", "y1<>", "[Today]", "t1<", "t2>", "reply<>", "t3 much later<>"]);
  });

  it("has no start row while older messages remain", () => {
    const rows = buildThreadRows([toThreadMessage(makeMessage({ at: at(7, 9) }))], { atStart: false, now });
    expect(rows[0]!.kind).toBe("day");
  });

  it("hangs reactions under the message they react to: one per person, the latest wins, an empty one removes it", () => {
    const target = makeMessage({
      at: at(7, 9),
      body: "Delivery on Friday?",
      direction: "outbound",
      sender: { type: "agent", id: "u1", name: null, jid: null },
    });
    const react = (minute: number, who: string, emoji: string, replyTo = target.id) =>
      makeMessage({ at: at(7, 9, minute), type: "reaction", body: emoji, reply_to_id: replyTo, sender: { type: "contact", id: who, name: who, jid: null } });
    const messages = [
      target,
      react(1, "ana", "👍"),
      react(2, "rui", "👍"),
      react(3, "eva", "❤️"),
      react(4, "ana", "😂"),
      react(5, "eva", ""),
      makeMessage({ at: at(7, 9, 6), body: "Yes!" }),
    ].map(toThreadMessage);
    const rows = buildThreadRows(messages, { atStart: false, now });
    const shown = rows.flatMap((row) => (row.kind === "message" ? [row] : []));
    expect(shown.map((row) => row.message.body)).toEqual(["Delivery on Friday?", "Yes!"]);
    expect(shown[0]!.reactions.map((reaction) => [reaction.emoji, reaction.count, reaction.senders.map((sender) => sender.id)])).toEqual([
      ["👍", 1, ["rui"]],
      ["😂", 1, ["ana"]],
    ]);
    expect(shown[1]!.reactions).toEqual([]);
  });

  it("shows a reaction to a message that is not loaded as a row of its own", () => {
    const orphan = makeMessage({ at: at(7, 9), type: "reaction", body: "🙏", reply_to_id: "not-loaded" });
    const rows = buildThreadRows([toThreadMessage(orphan)], { atStart: false, now });
    expect(rows.filter((row) => row.kind === "message").map((row) => row.kind === "message" && row.message.type)).toEqual(["reaction"]);
  });
});
