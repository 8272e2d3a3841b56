import type { EnrichmentCorrectionRequest, MessageEnrichedEventPayload } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { shallowReactive } from "vue";
import { ApiError, errorText } from "../../../lib/http.ts";
import { uuidv7 } from "../../../lib/ids.ts";
import { type Attachment, uploadErrorText } from "../../../lib/attachment.ts";
import type { Message, MessageStatus, MessageTemplate, QuotedMessage, ThreadMessage } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { showToast } from "../../../ui/toasts.ts";
import { messagesApi, type SendInput } from "../api/messages.api.ts";
import { addOptimistic, applyStatus as applyStatusTo, setLocalState, upsertMessages } from "../lib/message-list.ts";
import { t } from "../../../i18n/index.ts";

/** One conversation's loaded messages (oldest first) and paging state. */
export interface ThreadState {
  items: readonly ThreadMessage[];
  /** The id to page back from, or null when the start of the conversation is loaded. */
  olderCursor: string | null;
  loaded: boolean;
  loading: boolean;
  loadingOlder: boolean;
  /** Events may have been missed (after a reconnect): reload the latest page on next open. */
  stale: boolean;
  error: string | null;
}

const latestPageSize = 50;
const olderPageSize = 100;
/** The server answers at most this many changed messages per catch-up request. */
const catchUpLimit = 200;

/**
 * What this tab's own sends tell the rest of the inbox (the app layer points it at the
 * conversation list, see app/store-links.ts).
 */
export interface OutgoingListener {
  /** An outgoing message appeared, was confirmed or failed: the list's preview follows it. */
  message(message: Message): void;
  /** The server refused a free-form send because the customer-service window has closed. */
  windowClosed(conversationId: string): void;
}

/**
 * Messages per conversation, merged from pages, socket events, catch-ups and this tab's own
 * optimistic sends (see lib/message-list.ts), and the send / retry flow. Works in the workspace
 * of its scope (`reset(scope)`); what its sends change elsewhere goes to `onOutgoing`'s listener.
 */
export const useMessagesStore = defineStore("messages", () => {
  let scope: WorkspaceScope | null = null;
  let outgoing: OutgoingListener = { message: () => {}, windowClosed: () => {} };
  const threads = shallowReactive(new Map<string, ThreadState>());
  /** This tab's attachment messages by client_message_id, until the server has them. */
  const uploads = shallowReactive(new Map<string, Attachment>());

  /** The state of `conversationId`, created empty on first use. */
  function thread(conversationId: string): ThreadState {
    let state = threads.get(conversationId);
    if (!state) {
      state = shallowReactive<ThreadState>({ items: [], olderCursor: null, loaded: false, loading: false, loadingOlder: false, stale: false, error: null });
      threads.set(conversationId, state);
    }
    return state;
  }

  /** Loads the latest page when the thread is opened for the first time or went stale. */
  async function open(conversationId: string): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const state = thread(conversationId);
    if (!workspaceId || state.loading || (state.loaded && !state.stale)) return;
    state.loading = true;
    state.error = null;
    try {
      const page = await messagesApi.page(workspaceId, conversationId, { limit: latestPageSize });
      const newestHeld = [...state.items].reverse().find((item) => !item.local)?.id ?? "";
      const oldestFetched = page.data[0]?.id ?? "";
      // A gap between what we hold and the fresh page cannot be stitched: start over from the page.
      const gap = state.stale && newestHeld !== "" && oldestFetched > newestHeld && page.next_cursor !== null;
      const keep = gap ? state.items.filter((item) => item.local) : state.items;
      state.items = upsertMessages(keep, page.data);
      if (!state.loaded || gap) state.olderCursor = page.next_cursor;
      state.loaded = true;
      state.stale = false;
    } catch (caught) {
      state.error = errorText(caught);
    } finally {
      state.loading = false;
    }
  }

  /** Loads the page before the oldest loaded message. */
  async function loadOlder(conversationId: string): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const state = thread(conversationId);
    if (!workspaceId || !state.olderCursor || state.loadingOlder) return;
    state.loadingOlder = true;
    try {
      const page = await messagesApi.page(workspaceId, conversationId, { before: state.olderCursor, limit: olderPageSize });
      state.items = upsertMessages(state.items, page.data);
      state.olderCursor = page.next_cursor;
    } catch (caught) {
      state.error = errorText(caught);
    } finally {
      state.loadingOlder = false;
    }
  }

  /**
   * Whether events for this thread should be applied: it is loaded, or its first page is on the
   * way (an event may describe something the page was read too early to contain; the page merges
   * into it). Threads never opened ignore events: their first page will have everything.
   */
  function tracking(state: ThreadState | undefined): state is ThreadState {
    return !!state && (state.loaded || state.loading);
  }

  /** A message from the socket or a catch-up. */
  function receive(message: Message): void {
    const state = threads.get(message.conversation_id);
    if (tracking(state)) state.items = upsertMessages(state.items, [message]);
  }

  function applyStatus(update: {
    message_id: string;
    conversation_id: string;
    client_message_id: string | null;
    status: MessageStatus;
    failed_reason?: string | null;
    timestamp?: string;
  }): void {
    const state = threads.get(update.conversation_id);
    if (tracking(state)) state.items = applyStatusTo(state.items, { ...update, ...(update.timestamp ? { at: update.timestamp } : {}) });
  }

  /** A `message.enriched` event: the message's language, sentiment and intent, shown in place. */
  function applyEnrichment(update: MessageEnrichedEventPayload): void {
    const state = threads.get(update.conversation_id);
    if (!tracking(state) || !state.items.some((item) => item.id === update.message_id)) return;
    state.items = state.items.map((item) => (item.id === update.message_id ? { ...item, enrichment: update.enrichment } : item));
  }

  /**
   * Shows this agent's outgoing message at once (pending, with a fresh client_message_id) and
   * sends it; it then becomes the server's message, or shows as failed with Retry.
   */
  async function sendOutgoing(
    conversationId: string,
    fields: Pick<Message, "type" | "body"> & Partial<Pick<Message, "media" | "template">>,
    replyTo: QuotedMessage | null,
    attachment?: Attachment,
  ): Promise<void> {
    const user = scope?.me;
    if (!user) return;
    const clientMessageId = uuidv7();
    const optimistic: ThreadMessage = {
      id: clientMessageId,
      key: clientMessageId,
      local: "sending",
      conversation_id: conversationId,
      direction: "outbound",
      status: "pending",
      client_message_id: clientMessageId,
      provider_message_id: null,
      reply_to_id: replyTo?.id ?? null,
      reply_to: replyTo ? { id: replyTo.id, body: replyTo.body, type: replyTo.type, sender: replyTo.sender } : null,
      sender: { type: "agent", id: user.id, name: user.name, jid: null },
      failed_reason: null,
      created_at: new Date().toISOString(),
      sent_at: null,
      delivered_at: null,
      read_at: null,
      sent_from_phone: false,
      deleted_at: null,
      edited_at: null,
      sent_via: null,
      enrichment: null,
      media: null,
      template: null,
      location: null,
      contacts: null,
      ...fields,
    };
    if (attachment) uploads.set(clientMessageId, attachment);
    const state = thread(conversationId);
    state.items = addOptimistic(state.items, optimistic);
    outgoing.message(optimistic);
    await deliver(conversationId, clientMessageId);
  }

  /** Sends `body` as the signed-in agent (see sendOutgoing). */
  function send(conversationId: string, body: string, replyTo: QuotedMessage | null = null): Promise<void> {
    return sendOutgoing(conversationId, { type: "text", body }, replyTo);
  }

  /**
   * Sends an attachment (uploading or uploaded) with `caption`: the bubble shows the local preview
   * and the upload's progress, and the message is posted with the media id once the upload is done.
   */
  function sendAttachment(conversationId: string, attachment: Attachment, caption: string, replyTo: QuotedMessage | null = null): Promise<void> {
    // The local preview stays on screen until the server's copy replaces it (no flicker); an empty id means "not uploaded yet".
    const media = {
      id: attachment.media?.id ?? "",
      mime: attachment.mime,
      size: attachment.size,
      url: attachment.previewUrl ?? attachment.media?.url ?? "",
      filename: attachment.name,
    };
    return sendOutgoing(conversationId, { type: attachment.kind, body: caption || null, media }, replyTo, attachment);
  }

  /** Sends an approved template; `preview` is its body with the variables filled in, shown in the bubble until the server answers. */
  function sendTemplate(conversationId: string, template: MessageTemplate, preview: string): Promise<void> {
    return sendOutgoing(conversationId, { type: "template", body: preview, template }, null);
  }

  async function deliver(conversationId: string, clientMessageId: string): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const state = thread(conversationId);
    const entry = state.items.find((item) => item.client_message_id === clientMessageId);
    if (!workspaceId || !entry) return;
    const fail = (reason: string) => {
      state.items = setLocalState(state.items, clientMessageId, "failed", reason);
      const failed = state.items.find((item) => item.client_message_id === clientMessageId);
      if (failed) outgoing.message(failed);
    };
    let input: SendInput;
    // The same client_message_id on every attempt: the server stores the message once.
    const common = { client_message_id: clientMessageId, reply_to_id: entry.reply_to_id };
    if (entry.template) {
      input = { ...common, template: entry.template };
    } else if (entry.media) {
      let mediaId = entry.media.id;
      if (!mediaId) {
        const attachment = uploads.get(clientMessageId);
        if (!attachment) return fail(t("messages.attachmentGone"));
        if (attachment.state === "failed") attachment.retry();
        try {
          const media = await attachment.whenUploaded();
          mediaId = media.id;
        } catch (caught) {
          return fail(attachment.error ?? uploadErrorText(caught));
        }
      }
      input = { ...common, media_id: mediaId, ...(entry.body ? { body: entry.body } : {}) };
    } else {
      input = { ...common, body: entry.body ?? "" };
    }
    try {
      const message = await messagesApi.send(workspaceId, conversationId, input);
      state.items = upsertMessages(state.items, [message]);
      outgoing.message(message);
      releaseUpload(clientMessageId);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "conversations.window_closed") {
        outgoing.windowClosed(conversationId);
        return fail(t("messages.windowClosed"));
      }
      fail(caught instanceof ApiError && caught.status === 403 ? t("messages.roleCannotSend") : errorText(caught));
    }
  }

  /** The upload behind this tab's unsent attachment message, for its progress bar. */
  function uploadFor(clientMessageId: string | null): Attachment | undefined {
    return clientMessageId ? uploads.get(clientMessageId) : undefined;
  }

  function releaseUpload(clientMessageId: string): void {
    const attachment = uploads.get(clientMessageId);
    if (!attachment) return;
    uploads.delete(clientMessageId);
    if (attachment.previewUrl) URL.revokeObjectURL(attachment.previewUrl);
  }

  /** Retries a failed message: this tab's failed POST again (same client_message_id), or the server's send. */
  async function retry(conversationId: string, key: string): Promise<void> {
    const state = thread(conversationId);
    const entry = state.items.find((item) => item.key === key);
    if (!entry) return;
    if (entry.local === "failed" && entry.client_message_id) {
      state.items = setLocalState(state.items, entry.client_message_id, "sending");
      await deliver(conversationId, entry.client_message_id);
      return;
    }
    const workspaceId = scope?.workspaceId;
    if (entry.status === "failed" && workspaceId) {
      try {
        state.items = upsertMessages(state.items, [await messagesApi.retry(workspaceId, entry.id)]);
      } catch (caught) {
        showToast(t("messages.retryFailed", { error: errorText(caught) }), "error");
      }
    }
  }

  /**
   * An agent corrects a customer message's intent or sentiment: the server's answer replaces the
   * enrichment in place (a `message.enriched` event follows for other tabs); a refusal is a toast.
   */
  async function correctEnrichment(conversationId: string, messageId: string, change: EnrichmentCorrectionRequest): Promise<void> {
    const workspaceId = scope?.workspaceId;
    if (!workspaceId) return;
    try {
      const corrected = await messagesApi.correctEnrichment(workspaceId, messageId, change);
      if (corrected.enrichment) applyEnrichment({ message_id: messageId, conversation_id: conversationId, enrichment: corrected.enrichment });
      showToast(t("intelligence.correction.saved"));
    } catch (caught) {
      showToast(t("intelligence.correction.failed", { error: errorText(caught) }), "error");
    }
  }

  /**
   * After a reconnect, for the open conversation: merges what changed since `since` (ISO). When
   * more changed than one answer holds, the thread reloads from its latest page instead.
   */
  async function catchUp(conversationId: string, since: string): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const state = threads.get(conversationId);
    if (!workspaceId || !state?.loaded) return;
    const page = await messagesApi.changedSince(workspaceId, conversationId, since);
    state.items = upsertMessages(state.items, page.data);
    if (page.data.length >= catchUpLimit) {
      state.stale = true;
      await open(conversationId);
    }
  }

  /** Threads other than `keepId` may have missed events: reload them when next opened. */
  function markStale(keepId: string | null): void {
    for (const [id, state] of threads) if (id !== keepId && state.loaded) state.stale = true;
  }

  /** Sets who hears about this tab's sends (one listener; the app layer's). */
  function onOutgoing(listener: OutgoingListener): void {
    outgoing = listener;
  }

  /** Forgets every thread and starts over in `next`'s workspace (null: none open). */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    threads.clear();
    for (const key of [...uploads.keys()]) releaseUpload(key);
  }

  return {
    threads,
    thread,
    open,
    loadOlder,
    receive,
    applyStatus,
    applyEnrichment,
    send,
    sendAttachment,
    sendTemplate,
    uploadFor,
    retry,
    correctEnrichment,
    catchUp,
    markStale,
    onOutgoing,
    reset,
  };
});
