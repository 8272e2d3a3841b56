/**
 * Turns a thread's messages into the rows the virtual list draws: a day separator before each
 * new calendar day, and each message flagged with its place in a run of consecutive messages
 * from the same sender (only the first of a run gets the bubble's tail and the sender's name).
 */
import { dayKey, formatDayLabel } from "../../../lib/time.ts";
import type { ThreadMessage } from "../../../lib/types.ts";

export type ThreadRow =
  | { kind: "start"; key: string }
  | { kind: "day"; key: string; label: string }
  | { kind: "message"; key: string; message: ThreadMessage; firstInGroup: boolean; lastInGroup: boolean };

/** Messages further apart than this (ms) start a new run even from the same sender. */
export const groupGapMs = 7 * 60_000;

/** Per-message day key and time, computed once per (immutable) message object. */
const facts = new WeakMap<ThreadMessage, { day: string; ms: number }>();

function factsOf(message: ThreadMessage): { day: string; ms: number } {
  let known = facts.get(message);
  if (!known) {
    known = { day: dayKey(message.created_at), ms: Date.parse(message.created_at) };
    facts.set(message, known);
  }
  return known;
}

function senderKey(message: ThreadMessage): string {
  return `${message.direction}:${message.sender.type}:${message.sender.id ?? ""}`;
}

function continues(previous: ThreadMessage | undefined, message: ThreadMessage): boolean {
  if (!previous) return false;
  if (senderKey(previous) !== senderKey(message)) return false;
  const before = factsOf(previous);
  const after = factsOf(message);
  if (before.day !== after.day) return false;
  return after.ms - before.ms < groupGapMs;
}

/**
 * The rows for `messages` (sorted oldest first). `atStart` adds the "start of the conversation"
 * row when there is nothing older to load. `now` fixes what "Today" means for the labels.
 */
export function buildThreadRows(messages: readonly ThreadMessage[], options: { atStart: boolean; now?: Date; locale?: string }): ThreadRow[] {
  const now = options.now ?? new Date();
  const rows: ThreadRow[] = [];
  if (options.atStart) rows.push({ kind: "start", key: "start" });
  let lastDay = "";
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    const day = factsOf(message).day;
    if (day !== lastDay) {
      rows.push({ kind: "day", key: `day:${day}`, label: formatDayLabel(message.created_at, now, options.locale) });
      lastDay = day;
    }
    rows.push({
      kind: "message",
      key: message.key,
      message,
      firstInGroup: !continues(messages[index - 1], message),
      lastInGroup: index === messages.length - 1 || !continues(message, messages[index + 1]!),
    });
  }
  return rows;
}
