/**
 * Turns a thread's messages into the rows the virtual list draws: a day separator before each
 * new calendar day, and each message flagged with its place in a run of consecutive messages
 * from the same sender (only the first of a run gets the bubble's tail and the sender's name).
 * Reactions hang under the message they react to, as in WhatsApp; one whose message is not
 * loaded shows as its own row.
 */
import { dayKey, formatDayLabel } from "../../../ui/time.ts";
import type { MessageSender, ThreadMessage } from "../../../lib/types.ts";

/** One emoji under a message: how many people reacted with it, and who. */
export interface ReactionSummary {
  emoji: string;
  count: number;
  senders: MessageSender[];
}

export type ThreadRow =
  | { kind: "start"; key: string }
  | { kind: "day"; key: string; label: string }
  | { kind: "message"; key: string; message: ThreadMessage; firstInGroup: boolean; lastInGroup: boolean; reactions: readonly ReactionSummary[] };

const noReactions: readonly ReactionSummary[] = Object.freeze([]);

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
export function buildThreadRows(all: readonly ThreadMessage[], options: { atStart: boolean; now?: Date; locale?: string }): ThreadRow[] {
  const now = options.now ?? new Date();
  const { messages, reactions } = collectReactions(all);
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
      reactions: reactions.get(message.id) ?? noReactions,
    });
  }
  return rows;
}

/**
 * Splits reactions off the messages they react to (when that message is loaded). Each sender
 * counts once per message: their latest reaction wins, and an empty one (WhatsApp's "removed")
 * takes theirs away.
 */
function collectReactions(all: readonly ThreadMessage[]): { messages: readonly ThreadMessage[]; reactions: Map<string, ReactionSummary[]> } {
  const reactions = new Map<string, ReactionSummary[]>();
  if (!all.some((message) => message.type === "reaction")) return { messages: all, reactions };
  const ids = new Set<string>();
  for (const message of all) if (message.type !== "reaction") ids.add(message.id);
  const latest = new Map<string, Map<string, ThreadMessage>>();
  const messages: ThreadMessage[] = [];
  for (const message of all) {
    if (message.type !== "reaction" || !message.reply_to_id || !ids.has(message.reply_to_id)) {
      messages.push(message);
      continue;
    }
    let bySender = latest.get(message.reply_to_id);
    if (!bySender) latest.set(message.reply_to_id, (bySender = new Map()));
    bySender.delete(senderKey(message));
    bySender.set(senderKey(message), message);
  }
  for (const [targetId, bySender] of latest) {
    const summaries: ReactionSummary[] = [];
    for (const reaction of bySender.values()) {
      const emoji = reaction.body?.trim();
      if (!emoji) continue;
      const summary = summaries.find((existing) => existing.emoji === emoji);
      if (summary) {
        summary.count++;
        summary.senders.push(reaction.sender);
      } else summaries.push({ emoji, count: 1, senders: [reaction.sender] });
    }
    if (summaries.length > 0) reactions.set(targetId, summaries);
  }
  return { messages, reactions };
}
