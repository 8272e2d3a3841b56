import { mergeStatus } from "@parley/protocol/message-status";
import type { Message, MessageStatus, StatusUpdate } from "./protocol.ts";

/**
 * A message as the widget holds it. `id` is null until the server has confirmed an optimistic
 * message; `key` is stable for the entry's whole life (the UI keys DOM nodes on it).
 * Entries are immutable: every change replaces the object, so `a !== b` means "re-render".
 */
export interface Entry extends Pick<Message, Shown> {
  id: string | null;
  key: string;
  /** Why the visitor's unconfirmed send failed, when the widget knows (e.g. "File is too large"). */
  error?: string;
}

/** The fields of a message the widget shows; the rest of what the server sends is ignored. */
type Shown =
  | "conversation_id"
  | "direction"
  | "type"
  | "body"
  | "media"
  | "status"
  | "client_message_id"
  | "sender"
  | "created_at"
  | "sent_at"
  | "delivered_at"
  | "read_at";

/** What upsert() did with a message. */
export type UpsertResult = "added" | "updated" | "unchanged";

const STAMP: Partial<Record<MessageStatus, "sent_at" | "delivered_at" | "read_at">> = {
  sent: "sent_at",
  delivered: "delivered_at",
  read: "read_at",
};

// UUIDv7 ids sort by creation time as plain strings. Unconfirmed entries go last, in the order
// they were written (Array#sort is stable).
function byId(a: Entry, b: Entry): number {
  if (a.id === null || b.id === null) return a.id === null ? (b.id === null ? 0 : 1) : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The conversation's messages in display order, merged from every source (optimistic sends,
 * POST answers, socket events, history and polling pages) without duplicates: a message is the
 * same one when its server `id` or its `client_message_id` matches.
 */
export class MessageStore {
  private list: Entry[] = [];

  /** All entries, oldest first; unconfirmed optimistic messages last. */
  get entries(): readonly Entry[] {
    return this.list;
  }

  /** The highest server id held, for `?after=` catch-up; null when empty. */
  lastId(): string | null {
    let max: string | null = null;
    for (const e of this.list) if (e.id !== null && (max === null || e.id > max)) max = e.id;
    return max;
  }

  /** Finds an entry by its client_message_id. */
  byClientId(clientMessageId: string): Entry | undefined {
    return this.list.find((e) => e.client_message_id === clientMessageId);
  }

  /** Forgets everything (a new session starts). */
  clear(): void {
    this.list = [];
  }

  /**
   * Adds the visitor's message before the server has it: status `pending`, id null,
   * keyed by its client_message_id. An attachment being uploaded has `type` and a `media`
   * whose `url` is "" until the server has it.
   */
  addLocal(input: Pick<Entry, "body" | "client_message_id" | "conversation_id" | "created_at"> & Partial<Pick<Entry, "type" | "media">>): Entry {
    const entry: Entry = {
      type: "text",
      media: null,
      ...input,
      key: `c${input.client_message_id}`,
      id: null,
      direction: "inbound",
      status: "pending",
      sender: { type: "contact", id: null, name: null, jid: null },
      sent_at: null,
      delivered_at: null,
      read_at: null,
    };
    this.list.push(entry);
    return entry;
  }

  /**
   * Merges a server message: matched by id, else by client_message_id (reconciling an
   * optimistic entry), else added. The status never moves backwards, except that a message
   * this widget marked failed locally takes the server's status once the server shows it has it.
   */
  upsert(message: Message): UpsertResult {
    const i = this.indexOf(message.id, message.client_message_id);
    if (i < 0) {
      this.list.push({ ...message, key: `i${message.id}` });
      this.list.sort(byId);
      return "added";
    }
    const old = this.list[i]!;
    // A local "failed" is a belief about our POST, not a server status: the server wins.
    const from = old.id === null && old.status === "failed" ? "pending" : old.status;
    const { error: _settled, ...kept } = old;
    const next: Entry = {
      ...kept,
      ...message,
      key: old.key,
      client_message_id: old.client_message_id ?? message.client_message_id,
      status: mergeStatus(from, message.status),
      sent_at: message.sent_at ?? old.sent_at,
      delivered_at: message.delivered_at ?? old.delivered_at,
      read_at: message.read_at ?? old.read_at,
    };
    if (
      old.id === next.id &&
      old.status === next.status &&
      old.body === next.body &&
      old.media?.url === next.media?.url &&
      old.sent_at === next.sent_at &&
      old.delivered_at === next.delivered_at &&
      old.read_at === next.read_at
    ) {
      return "unchanged";
    }
    this.list[i] = next;
    if (old.id !== next.id) this.list.sort(byId);
    return "updated";
  }

  /** Applies a `message.status.updated` event. Returns true when something changed. */
  applyStatus(update: StatusUpdate): boolean {
    const i = this.indexOf(update.message_id, update.client_message_id ?? null);
    if (i < 0) return false;
    const old = this.list[i]!;
    const status = mergeStatus(old.status, update.status);
    if (status === old.status) return false;
    const next: Entry = { ...old, status };
    const stamp = STAMP[status];
    if (stamp && !next[stamp]) next[stamp] = update.timestamp ?? new Date().toISOString();
    if (next.id === null && update.message_id) {
      next.id = update.message_id;
      this.list[i] = next;
      this.list.sort(byId);
    } else {
      this.list[i] = next;
    }
    return true;
  }

  /**
   * Marks an unconfirmed send as failed (its upload or POST did not succeed), with the reason
   * to show when known. Returns true if changed.
   */
  markFailed(clientMessageId: string, error?: string): boolean {
    const i = this.indexOf(null, clientMessageId);
    const old = this.list[i];
    if (!old || old.id !== null) return false;
    const status = mergeStatus(old.status, "failed");
    if (status === old.status) return false;
    this.list[i] = error ? { ...old, status, error } : { ...old, status };
    return true;
  }

  /**
   * Puts a locally failed, unconfirmed message back to `pending` for a retry (a user action,
   * not a status report, so the forward-only rule does not apply). Returns the entry or null
   * when there is nothing to retry.
   */
  resend(clientMessageId: string): Entry | null {
    const i = this.indexOf(null, clientMessageId);
    const old = this.list[i];
    if (!old || old.id !== null || old.status !== "failed") return null;
    const { error: _cleared, ...rest } = old;
    const next: Entry = { ...rest, status: "pending" };
    this.list[i] = next;
    return next;
  }

  private indexOf(id: string | null, clientMessageId: string | null): number {
    if (id) {
      const i = this.list.findIndex((e) => e.id === id);
      if (i >= 0) return i;
    }
    return clientMessageId ? this.list.findIndex((e) => e.client_message_id === clientMessageId) : -1;
  }
}
