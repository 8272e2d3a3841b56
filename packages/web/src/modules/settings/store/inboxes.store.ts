import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { Inbox, InboxQrEventPayload, InboxStatusEventPayload, MessagingLimit, SyncProgressEventPayload } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { inboxesApi, type NewCloudInbox, type NewWhatsappWebInbox, type NewWidgetInbox } from "../api/settings.api.ts";
import { t } from "../../../i18n/index.ts";

/** The workspace's inboxes and their unread counts (kept live by conversation events). */
export const useInboxesStore = defineStore("inboxes", () => {
  let scope: WorkspaceScope | null = null;
  /** The open workspace's id (throws outside one: these actions run from its settings). */
  function workspace(): string {
    if (!scope) throw new Error(t("errors.noWorkspace"));
    return scope.workspaceId;
  }
  const inboxes = ref<Inbox[]>([]);
  const loaded = ref(false);
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const byId = computed(() => new Map(inboxes.value.map((inbox) => [inbox.id, inbox])));
  /** Unread messages across the workspace, or null when the server does not count per inbox. */
  const totalUnread = computed(() => inboxes.value.reduce((sum, inbox) => sum + inbox.unread_count, 0));

  /** Unread changes applied here so far: a re-read that overlaps one may predate it. */
  let unreadChanges = 0;

  async function refresh(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    if (!workspaceId) return;
    const changesBefore = unreadChanges;
    const { data } = await inboxesApi.list(workspaceId);
    if (workspaceId !== scope?.workspaceId) return;
    inboxes.value = data;
    loaded.value = true;
    // A count changed while the list was on its way: the list may not hold that change yet.
    if (unreadChanges !== changesBefore) scheduleRefresh(300);
  }

  /** Re-reads the counts soon (coalescing bursts of events into one request). */
  function scheduleRefresh(delayMs = 1500): void {
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void refresh().catch(() => {});
    }, delayMs);
  }

  /** Applies a known change of one conversation's unread count to its inbox's total. */
  function adjustUnread(inboxId: string, delta: number): void {
    if (delta === 0) return;
    unreadChanges++;
    inboxes.value = inboxes.value.map((inbox) => (inbox.id === inboxId ? { ...inbox, unread_count: Math.max(0, inbox.unread_count + delta) } : inbox));
  }

  function add(inbox: Inbox): Inbox {
    inboxes.value = [...inboxes.value.filter((existing) => existing.id !== inbox.id), inbox];
    return inbox;
  }

  async function createWidget(input: NewWidgetInbox): Promise<Inbox> {
    return add(await inboxesApi.createWidget(workspace(), input));
  }

  /** Creates a WhatsApp Cloud API inbox (throws the server's ApiError, with `field` for invalid input). */
  async function createCloud(input: NewCloudInbox): Promise<Inbox> {
    return add(await inboxesApi.createCloud(workspace(), input));
  }

  /** Creates a WhatsApp Web inbox; its session starts on the server and its QR arrives as `inbox.qr`. */
  async function createWhatsappWeb(input: NewWhatsappWebInbox): Promise<Inbox> {
    return add(await inboxesApi.createWhatsappWeb(workspace(), input));
  }

  function patch(inboxId: string, change: Partial<Inbox>): void {
    inboxes.value = inboxes.value.map((inbox) => (inbox.id === inboxId ? { ...inbox, ...change } : inbox));
  }

  /** `inbox.status`: the connection changed. Leaving `qr_ready` takes the QR off screen. */
  function applyStatus(payload: InboxStatusEventPayload): void {
    patch(payload.inbox_id, { status: payload.status, status_reason: payload.reason, ...(payload.status === "qr_ready" ? {} : { qr: null }) });
    // The phone number arrives with `ready` on the inbox itself.
    if (payload.status === "ready") void reload(payload.inbox_id).catch(() => {});
  }

  /** `inbox.qr`: a new QR replaces the one on screen. */
  function applyQr(payload: InboxQrEventPayload): void {
    patch(payload.inbox_id, { status: "qr_ready", qr: { code: payload.code, image_data_url: payload.image_data_url, expires_at: payload.expires_at } });
  }

  /** `sync.progress`: how far the initial chat sync is. */
  function applySync(payload: SyncProgressEventPayload): void {
    patch(payload.inbox_id, { sync: { status: payload.status, total: payload.total, synced: payload.synced } });
  }

  async function reload(inboxId: string): Promise<void> {
    add(await inboxesApi.get(workspace(), inboxId));
  }

  const restart = async (inboxId: string) => {
    await inboxesApi.restart(workspace(), inboxId);
    await reload(inboxId);
  };
  const logout = async (inboxId: string) => {
    await inboxesApi.logout(workspace(), inboxId);
    await reload(inboxId);
  };
  /** Deletes an inbox (throws the server's ApiError, keeping it); gone from the list once the server agreed. */
  const remove = async (inboxId: string) => {
    await inboxesApi.delete(workspace(), inboxId);
    inboxes.value = inboxes.value.filter((inbox) => inbox.id !== inboxId);
  };
  /**
   * Makes an inbox the workspace's primary of its kind (or not); the others of that kind lose
   * the flag, as the server did. Throws the server's ApiError, changing nothing.
   */
  const setPrimary = async (inboxId: string, isPrimary: boolean) => {
    const updated = await inboxesApi.update(workspace(), inboxId, { is_primary: isPrimary });
    inboxes.value = inboxes.value.map((inbox) =>
      inbox.id === updated.id ? updated : isPrimary && inbox.provider === updated.provider && inbox.is_primary ? { ...inbox, is_primary: false } : inbox,
    );
  };
  /** Sets a Cloud API inbox's messaging limit; throws the server's ApiError, changing nothing. */
  const setMessagingLimit = async (inboxId: string, limit: MessagingLimit) => {
    const updated = await inboxesApi.update(workspace(), inboxId, { messaging_limit: limit });
    inboxes.value = inboxes.value.map((inbox) => (inbox.id === updated.id ? updated : inbox));
  };
  const pairingCode = async (inboxId: string, phoneNumber: string) => (await inboxesApi.pairingCode(workspace(), inboxId, phoneNumber)).code;
  const sandboxScan = (inboxId: string) => inboxesApi.sandboxScan(inboxId);

  /** Forgets what it holds and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    inboxes.value = [];
    loaded.value = false;
  }

  return {
    inboxes,
    loaded,
    byId,
    totalUnread,
    refresh,
    scheduleRefresh,
    adjustUnread,
    createWidget,
    createCloud,
    createWhatsappWeb,
    applyStatus,
    applyQr,
    applySync,
    reload,
    restart,
    logout,
    remove,
    setPrimary,
    setMessagingLimit,
    pairingCode,
    sandboxScan,
    reset,
  };
});
