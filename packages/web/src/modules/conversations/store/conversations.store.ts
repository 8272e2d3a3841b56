import { defineStore } from "pinia";
import { computed, reactive, ref, shallowReactive, shallowRef } from "vue";
import { ApiError, errorText } from "../../../lib/http.ts";
import type { ApiContact, Conversation, ConversationStatus, Message, MessageStatus } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { mergeStatus } from "@parley/protocol/message-status";
import { showToast } from "../../../ui/toasts.ts";
import { conversationsApi, type ConversationQuery } from "../api/conversations.api.ts";
import { matchesFilters, noFilters, placeConversation, type ConversationFilters } from "../lib/conversation-order.ts";
import { t } from "../../../i18n/index.ts";

const firstPageSize = 50;
const nextPageSize = 100;
/** WhatsApp's customer-service window: 24 h after the customer's last message (WHATSAPP.md). */
const windowMs = 24 * 60 * 60_000;

/**
 * What the list learns about unread counts, for whoever keeps the per-inbox totals (the app layer
 * points it at the inboxes store, see app/store-links.ts).
 */
export interface UnreadListener {
  /** A conversation's unread count changed by `delta` messages (negative when read). */
  changed(inboxId: string, delta: number): void;
  /** A conversation the list did not hold has unread messages the totals may or may not count yet: recount soon. */
  unknown(): void;
}

/**
 * The conversation list: conversations normalised by id, the ordered ids of the current view
 * (newest activity first, filtered as `filters` say), paging, and live updates from events.
 * Works in the workspace of its scope (`reset(scope)`); unread changes go to `onUnread`'s listener.
 */
export const useConversationsStore = defineStore("conversations", () => {
  let scope: WorkspaceScope | null = null;
  let unread: UnreadListener = { changed: () => {}, unknown: () => {} };

  const byId = shallowReactive(new Map<string, Conversation>());
  const ids = shallowRef<readonly string[]>([]);
  const filters = reactive<ConversationFilters>({ ...noFilters });
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  /** Conversations with a read request in flight → whether another was asked for meanwhile. */
  const reading = new Map<string, boolean>();
  let generation = 0;
  let controller: AbortController | null = null;

  const get = (id: string) => byId.get(id);
  const myUserId = () => scope?.me.id ?? null;
  const currentWorkspace = () => scope?.workspaceId ?? null;
  /** Unread messages over every loaded conversation (the fallback when inboxes do not count). */
  const loadedUnread = computed(() => {
    let sum = 0;
    for (const conversation of byId.values()) sum += conversation.unread_count;
    return sum;
  });

  function query(): ConversationQuery {
    return {
      inbox_id: filters.inboxId,
      status: filters.status,
      assignee_id: filters.assignee === "me" ? myUserId() : filters.assignee === "none" ? "none" : null,
      q: filters.q.trim() || null,
      label: filters.label,
    };
  }

  /** Stores `incoming` unless what we hold is newer; keeps a last message's status from moving back. */
  function store(incoming: Conversation, created = false): Conversation | null {
    const existing = byId.get(incoming.id);
    if (existing && existing.updated_at > incoming.updated_at) return null;
    // A server that does not report the window yet must not erase what a 422 taught us.
    let next = incoming.window === undefined && existing?.window !== undefined ? { ...incoming, window: existing.window } : incoming;
    const held = existing?.last_message;
    if (held && incoming.last_message && held.id === incoming.last_message.id) {
      next = { ...next, last_message: { ...incoming.last_message, status: mergeStatus(held.status, incoming.last_message.status) } };
    } else if (held && incoming.last_message && held.id > incoming.last_message.id) {
      // A message event got here first: keep the newer preview the summary does not know yet.
      next = { ...next, last_message: held, last_message_at: existing!.last_message_at };
    }
    if (existing) notifyUnread(existing.inbox_id, next.unread_count - existing.unread_count);
    // A brand-new conversation was not in the inbox's count yet; any other unknown one may have been.
    else if (created) notifyUnread(next.inbox_id, next.unread_count);
    else if (next.unread_count > 0) unread.unknown();
    byId.set(next.id, next);
    return next;
  }

  function notifyUnread(inboxId: string, delta: number): void {
    if (delta !== 0) unread.changed(inboxId, delta);
  }

  /** Sets who hears about unread changes (one listener; the app layer's). */
  function onUnread(listener: UnreadListener): void {
    unread = listener;
  }

  /** Loads the first page for the current filters (replacing the view). */
  async function load(): Promise<void> {
    const workspaceId = currentWorkspace();
    if (!workspaceId) return;
    const mine = ++generation;
    controller?.abort();
    controller = new AbortController();
    loading.value = true;
    error.value = null;
    try {
      const page = await conversationsApi.list(workspaceId, { ...query(), limit: firstPageSize }, controller.signal);
      if (mine !== generation) return;
      for (const conversation of page.data) store(conversation);
      ids.value = page.data.map((conversation) => conversation.id);
      nextCursor.value = page.next_cursor;
      loaded.value = true;
    } catch (caught) {
      if (mine !== generation || (caught as Error).name === "AbortError") return;
      error.value = errorText(caught);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Loads the next page of the current view (called when the list nears its end). */
  async function loadMore(): Promise<void> {
    const workspaceId = currentWorkspace();
    if (!workspaceId || !nextCursor.value || loadingMore.value || loading.value) return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const page = await conversationsApi.list(workspaceId, { ...query(), limit: nextPageSize, cursor: nextCursor.value });
      if (mine !== generation) return;
      const seen = new Set(ids.value);
      for (const conversation of page.data) store(conversation);
      ids.value = [...ids.value, ...page.data.map((conversation) => conversation.id).filter((id) => !seen.has(id))];
      nextCursor.value = page.next_cursor;
    } catch (caught) {
      if (mine === generation) error.value = errorText(caught);
    } finally {
      loadingMore.value = false;
    }
  }

  /** Changes the filters and reloads the view. */
  function setFilters(changes: Partial<ConversationFilters>): Promise<void> {
    Object.assign(filters, changes);
    return load();
  }

  function place(conversation: Conversation): void {
    // Filtered by label, only the server knows who carries it: a listed conversation stays, no other joins.
    const labelled = !filters.label || ids.value.includes(conversation.id);
    const belongs = labelled && matchesFilters(conversation, filters, myUserId());
    ids.value = placeConversation(ids.value, conversation, get, belongs, nextCursor.value === null);
  }

  /**
   * A conversation from an event, a catch-up or a PATCH answer: store it and move it into place.
   * `created` is true for `conversation.created` (its unread messages are new to the inbox count).
   */
  function upsert(incoming: Conversation, created = false): void {
    const stored = store(incoming, created);
    if (stored) place(stored);
  }

  /**
   * A message event (or this tab's own optimistic send): updates the preview and moves the
   * conversation up, without waiting for the conversation.updated that follows.
   */
  function applyMessage(message: Message): void {
    const conversation = byId.get(message.conversation_id);
    if (!conversation) return;
    const last = conversation.last_message;
    const sameMessage = last && (last.id === message.id || (message.client_message_id !== null && last.client_message_id === message.client_message_id));
    if (last && !sameMessage && last.id > message.id) return;
    const next: Conversation = {
      ...conversation,
      last_message: sameMessage ? { ...message, status: mergeStatus(last.status, message.status) } : message,
      last_message_at: message.created_at,
    };
    // A customer's message (re)opens the window for 24 h (Meta's customer-service window) before the server says so.
    if (message.direction === "inbound" && next.window)
      next.window = { open: true, closes_at: new Date(Date.parse(message.created_at) + windowMs).toISOString() };
    byId.set(next.id, next);
    place(next);
  }

  /** The server refused a free-form send (422 `conversations.window_closed`): only templates until the customer writes again. */
  function closeWindow(id: string): void {
    const conversation = byId.get(id);
    if (conversation) byId.set(id, { ...conversation, window: { open: false, closes_at: conversation.window?.closes_at ?? null } });
  }

  /** The fields a conversation's contact carries (an event's contact has more: its custom attributes). */
  const contactFields = ({ custom_attributes: _attributes, ...contact }: ApiContact & { custom_attributes?: unknown }): ApiContact => contact;

  /** `contact.updated`: every loaded conversation with that contact shows it as it is now (an opt-out, a new name). */
  function applyContact(contact: ApiContact): void {
    for (const [id, conversation] of byId) {
      if (conversation.contact?.id === contact.id) byId.set(id, { ...conversation, contact: { ...conversation.contact, ...contactFields(contact) } });
    }
  }

  /** `message.status.updated`: the list's ticks follow the last message. */
  function applyStatus(update: { message_id: string; conversation_id: string; client_message_id: string | null; status: MessageStatus }): void {
    const conversation = byId.get(update.conversation_id);
    const last = conversation?.last_message;
    if (!conversation || !last) return;
    if (last.id !== update.message_id && (update.client_message_id === null || last.client_message_id !== update.client_message_id)) return;
    const status = mergeStatus(last.status, update.status);
    if (status !== last.status) byId.set(conversation.id, { ...conversation, last_message: { ...last, status } });
  }

  /** Changes status or assignee, showing the change at once and undoing it if the server refuses. */
  async function update(id: string, changes: { status?: ConversationStatus; assignee_id?: string | null }): Promise<void> {
    const before = byId.get(id);
    const workspaceId = currentWorkspace();
    if (!before || !workspaceId) return;
    byId.set(id, { ...before, ...changes });
    place(byId.get(id)!);
    try {
      upsert(await conversationsApi.update(workspaceId, id, changes));
    } catch (caught) {
      const current = byId.get(id);
      if (current) {
        byId.set(id, { ...current, status: before.status, assignee_id: before.assignee_id });
        place(byId.get(id)!);
      }
      showToast(
        caught instanceof ApiError && caught.status === 403
          ? t("conversations.roleCannotChange")
          : t("conversations.updateFailed", { error: errorText(caught) }),
        "error",
      );
    }
  }

  /**
   * Marks the conversation read; the badge clears at once. One request at a time per
   * conversation: a call while one is in flight runs once more after it (a message may have
   * arrived in between), so an open conversation never stays unread.
   */
  async function markRead(id: string): Promise<void> {
    const conversation = byId.get(id);
    const workspaceId = currentWorkspace();
    if (!conversation || !workspaceId) return;
    if (reading.has(id)) {
      reading.set(id, true);
      return;
    }
    reading.set(id, false);
    if (conversation.unread_count > 0) {
      notifyUnread(conversation.inbox_id, -conversation.unread_count);
      byId.set(id, { ...conversation, unread_count: 0 });
    }
    try {
      upsert(await conversationsApi.markRead(workspaceId, id));
      // The inbox totals may have been re-read while this was in flight, from before the server
      // marked it: have them read again now that it has.
      unread.unknown();
    } catch {
      // The badge comes back with the next conversation event if the server did not mark it.
    } finally {
      const again = reading.get(id);
      reading.delete(id);
      if (again) void markRead(id);
    }
  }

  /** Fetches one conversation the list does not hold yet (a link, a notification). */
  async function fetchOne(id: string): Promise<Conversation | null> {
    const workspaceId = currentWorkspace();
    if (!workspaceId) return null;
    try {
      const conversation = await conversationsApi.get(workspaceId, id);
      upsert(conversation);
      return byId.get(id) ?? conversation;
    } catch {
      return null;
    }
  }

  /**
   * After a reconnect: every conversation changed since `since` (ISO), all pages, merged like
   * events. Resolves to the ids that changed.
   */
  async function catchUp(since: string): Promise<string[]> {
    const workspaceId = currentWorkspace();
    if (!workspaceId) return [];
    const changed: string[] = [];
    let cursor: string | null = null;
    for (let pageNumber = 0; pageNumber < 50; pageNumber++) {
      const page = await conversationsApi.list(workspaceId, { updated_after: since, limit: 100, cursor });
      if (workspaceId !== currentWorkspace()) return [];
      for (const conversation of page.data) {
        upsert(conversation);
        changed.push(conversation.id);
      }
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return changed;
  }

  /**
   * An inbox was deleted (its conversations went with it): drops them from the list, and shows
   * every inbox again when the view was filtered to that one.
   */
  function forgetInbox(inboxId: string): void {
    for (const [id, conversation] of byId) if (conversation.inbox_id === inboxId) byId.delete(id);
    ids.value = ids.value.filter((id) => byId.has(id));
    if (filters.inboxId === inboxId) void setFilters({ inboxId: null });
  }

  /** Empties the list and starts over in `next`'s workspace (null: none open). */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    generation++;
    controller?.abort();
    byId.clear();
    ids.value = [];
    Object.assign(filters, noFilters);
    nextCursor.value = null;
    loaded.value = false;
    loading.value = false;
    error.value = null;
  }

  return {
    byId,
    ids,
    filters,
    nextCursor,
    loading,
    loadingMore,
    loaded,
    error,
    loadedUnread,
    get,
    load,
    loadMore,
    setFilters,
    upsert,
    applyMessage,
    applyStatus,
    closeWindow,
    applyContact,
    update,
    markRead,
    fetchOne,
    catchUp,
    forgetInbox,
    onUnread,
    reset,
  };
});
