/**
 * Pure operations on a thread's message array: sorted by id (UUIDv7, so by time), one entry per
 * message whether it arrived by the socket, a page fetch, a catch-up or this tab's own POST.
 * Every function returns a new array (or the same one when nothing changed) and never mutates.
 */
import type { Message, MessageStatus, ThreadMessage } from "../../../lib/types.ts";
import { mergeStatus } from "@parley/protocol/message-status";

/** Wraps a server message for the thread; the key is its client_message_id when it has one. */
export function toThreadMessage(message: Message): ThreadMessage {
  return { ...message, key: message.client_message_id ?? message.id };
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const stampFields = ["sent_at", "delivered_at", "read_at"] as const;

/**
 * `existing` updated with what `incoming` says: the server's fields win, except that the status
 * only moves forward and known timestamps, media and quotes are not erased by a leaner payload.
 * An optimistic entry becomes the server's message but keeps its key (and so its DOM node).
 */
export function mergeMessage(existing: ThreadMessage, incoming: Message): ThreadMessage {
  // A local POST failure is this tab's guess; anything the server says about the message wins.
  const status = existing.local === "failed" ? incoming.status : mergeStatus(existing.status, incoming.status);
  const merged: ThreadMessage = {
    ...existing,
    ...incoming,
    key: existing.key,
    status,
    failed_reason: status === "failed" ? (incoming.failed_reason ?? existing.failed_reason) : null,
    // A delete for everyone takes the attachment with it; otherwise a leaner payload keeps it.
    media: incoming.deleted_at ? null : (incoming.media ?? existing.media ?? null),
    reply_to: incoming.reply_to ?? existing.reply_to ?? null,
    sender: { ...existing.sender, ...incoming.sender, name: incoming.sender.name ?? existing.sender.name ?? null },
  };
  for (const field of stampFields) merged[field] = incoming[field] ?? existing[field];
  delete merged.local;
  return sameMessage(existing, merged) ? existing : merged;
}

function sameMessage(a: ThreadMessage, b: ThreadMessage): boolean {
  return (
    a.id === b.id &&
    a.status === b.status &&
    a.local === b.local &&
    a.body === b.body &&
    a.sent_at === b.sent_at &&
    a.delivered_at === b.delivered_at &&
    a.read_at === b.read_at &&
    a.failed_reason === b.failed_reason &&
    a.media === b.media &&
    a.deleted_at === b.deleted_at &&
    a.edited_at === b.edited_at &&
    a.reply_to === b.reply_to &&
    a.sender.name === b.sender.name
  );
}

/**
 * Merges server messages into a thread without duplicates: a message already present (by id, or
 * by client_message_id for this tab's optimistic bubbles) is updated in place; new ones are
 * inserted in id order. Used for socket events, pages, POST answers and catch-up alike, so the
 * same message arriving twice by different routes shows once.
 */
export function upsertMessages(items: readonly ThreadMessage[], incoming: readonly Message[]): readonly ThreadMessage[] {
  if (incoming.length === 0) return items;
  // Only this tab's unconfirmed bubbles can match a server message by client_message_id alone:
  // every other entry carries the server's id, found by binary search (items are sorted by id).
  let optimistic: Map<string, number> | null = null;
  const findByClientId = (clientId: string): number | undefined => {
    if (!optimistic) {
      optimistic = new Map();
      items.forEach((item, index) => {
        if (item.local && item.client_message_id) optimistic!.set(item.client_message_id, index);
      });
    }
    return optimistic.get(clientId);
  };
  let next: ThreadMessage[] | null = null;
  let reorder = false;
  const added = new Map<string, ThreadMessage>();
  for (const message of incoming) {
    let index: number | undefined = indexOfId(items, message.id);
    if (index < 0) index = message.client_message_id ? findByClientId(message.client_message_id) : undefined;
    if (index === undefined) {
      const earlier = added.get(message.id);
      added.set(message.id, earlier ? mergeMessage(earlier, message) : toThreadMessage(message));
      continue;
    }
    const current = (next ?? items)[index]!;
    const merged = mergeMessage(current, message);
    if (merged === current) continue;
    next ??= items.slice();
    if (merged.id !== current.id) reorder = true;
    next[index] = merged;
  }
  if (added.size === 0) {
    if (!next) return items;
    return reorder ? next.sort(byId) : next;
  }
  const base = next ?? items;
  const fresh = [...added.values()].sort(byId);
  if (reorder) return [...base, ...fresh].sort(byId);
  return mergeSorted(base, fresh);
}

/** Index of the entry with `id` in `items` (sorted by id), or -1. */
function indexOfId(items: readonly ThreadMessage[], id: string): number {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = items[middle]!.id;
    if (candidate === id) return middle;
    if (candidate < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

function mergeSorted(a: readonly ThreadMessage[], b: readonly ThreadMessage[]): ThreadMessage[] {
  // The usual cases are cheap: a page of older messages, or new ones after the last.
  if (a.length === 0) return b.slice();
  if (b[0]!.id > a[a.length - 1]!.id) return [...a, ...b];
  if (b[b.length - 1]!.id < a[0]!.id) return [...b, ...a];
  const out: ThreadMessage[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.id <= b[j]!.id ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Adds this tab's optimistic message (id = its client_message_id until the server answers). */
export function addOptimistic(items: readonly ThreadMessage[], message: ThreadMessage): readonly ThreadMessage[] {
  return mergeSorted(items, [message]);
}

/**
 * Applies `message.status.updated`: finds the message by id or client_message_id and moves its
 * status forward (stamping the matching time with `at`). Unknown messages are ignored.
 */
export function applyStatus(
  items: readonly ThreadMessage[],
  update: { message_id: string; client_message_id: string | null; status: MessageStatus; failed_reason?: string | null; at?: string },
): readonly ThreadMessage[] {
  let index = -1;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.id === update.message_id || (update.client_message_id !== null && item.client_message_id === update.client_message_id)) {
      index = i;
      break;
    }
  }
  if (index < 0) return items;
  const current = items[index]!;
  const status = mergeStatus(current.status, update.status);
  if (status === current.status && current.id === update.message_id) return items;
  const updated: ThreadMessage = {
    ...current,
    id: update.message_id,
    status,
    failed_reason: status === "failed" ? (update.failed_reason ?? current.failed_reason) : null,
  };
  delete updated.local;
  const stamp = status === "sent" ? "sent_at" : status === "delivered" ? "delivered_at" : status === "read" || status === "played" ? "read_at" : null;
  if (stamp && !updated[stamp]) updated[stamp] = update.at ?? new Date().toISOString();
  const next = items.slice();
  next[index] = updated;
  return current.id === update.message_id ? next : next.sort(byId);
}

/**
 * Marks this tab's message `clientMessageId` as sending again ("sending") or as failed with
 * `reason` ("failed"). A message the server has already confirmed is left alone.
 */
export function setLocalState(
  items: readonly ThreadMessage[],
  clientMessageId: string,
  state: "sending" | "failed",
  reason: string | null = null,
): readonly ThreadMessage[] {
  const index = items.findIndex((item) => item.client_message_id === clientMessageId);
  if (index < 0) return items;
  const current = items[index]!;
  if (!current.local) return items;
  const next = items.slice();
  next[index] = { ...current, local: state, status: state === "failed" ? "failed" : "pending", failed_reason: state === "failed" ? reason : null };
  return next;
}
