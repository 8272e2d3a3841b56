/**
 * Order and filtering of the conversation list: newest activity first (last_message_at desc,
 * then id desc as the server pages), and the predicate live updates use to decide whether a
 * changed conversation belongs in the current view.
 */
import type { Conversation, ConversationStatus } from "../../../lib/types.ts";
import { conversationTitle } from "../../../ui/conversation-text.ts";

export interface ConversationFilters {
  inboxId: string | null;
  status: ConversationStatus | null;
  /** "me" = assigned to the signed-in agent; "none" = unassigned. */
  assignee: "me" | "none" | null;
  /** Search text (contacts and message text; the server searches, this only screens live updates). */
  q: string;
  /**
   * A label name: only conversations carrying it. Conversations do not carry their labels, so the
   * server decides; live updates keep a listed conversation and add none (see `belongs`).
   */
  label: string | null;
}

export const noFilters: ConversationFilters = { inboxId: null, status: null, assignee: null, q: "", label: null };

/** Negative when `a` comes before `b` in the list. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const at = a.last_message_at ?? "";
  const bt = b.last_message_at ?? "";
  if (at !== bt) return at < bt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Where `conversation` goes in `ids` (sorted by compareConversations, looked up in `byId`):
 * a binary search, so a move to the top costs O(log n) comparisons on a 5,000-row list.
 */
export function insertionIndex(ids: readonly string[], conversation: Conversation, byId: (id: string) => Conversation | undefined): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = byId(ids[middle]!);
    if (other && compareConversations(other, conversation) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether `conversation` belongs in a list filtered by `filters` for user `myUserId`. */
export function matchesFilters(conversation: Conversation, filters: ConversationFilters, myUserId: string | null): boolean {
  if (!conversation.last_message_at) return false;
  if (filters.inboxId && conversation.inbox_id !== filters.inboxId) return false;
  if (filters.status && conversation.status !== filters.status) return false;
  if (filters.assignee === "me" && conversation.assignee_id !== myUserId) return false;
  if (filters.assignee === "none" && conversation.assignee_id !== null) return false;
  const q = filters.q.trim().toLowerCase();
  if (q) {
    const contact = conversation.contact;
    const haystack = [conversationTitle(conversation), contact?.email, contact?.phone, conversation.last_message?.body]
      .filter(Boolean)
      .join("\n")
      .toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

/**
 * `ids` with `conversation` (already stored under its id) moved to its place, or removed when
 * `belongs` is false. `loadedToEnd` says whether the list holds every page: if not, a
 * conversation older than the last loaded row is left for paging to bring.
 */
export function placeConversation(
  ids: readonly string[],
  conversation: Conversation,
  byId: (id: string) => Conversation | undefined,
  belongs: boolean,
  loadedToEnd: boolean,
): readonly string[] {
  const current = ids.indexOf(conversation.id);
  const without = current >= 0 ? [...ids.slice(0, current), ...ids.slice(current + 1)] : ids;
  if (!belongs) return current >= 0 ? without : ids;
  const index = insertionIndex(without, conversation, byId);
  if (index === without.length && !loadedToEnd && current < 0) return ids;
  if (index === current && current >= 0) return ids;
  return [...without.slice(0, index), conversation.id, ...without.slice(index)];
}
