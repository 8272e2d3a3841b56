import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { Inbox } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { inboxesApi, type NewCloudInbox, type NewWidgetInbox } from "../api/settings.api.ts";

/** The workspace's inboxes and their unread counts (kept live by conversation events). */
export const useInboxesStore = defineStore("inboxes", () => {
  let scope: WorkspaceScope | null = null;
  /** The open workspace's id (throws outside one: these actions run from its settings). */
  function workspace(): string {
    if (!scope) throw new Error("No workspace is open.");
    return scope.workspaceId;
  }
  const inboxes = ref<Inbox[]>([]);
  const loaded = ref(false);
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const byId = computed(() => new Map(inboxes.value.map((inbox) => [inbox.id, inbox])));
  /** Unread messages across the workspace, or null when the server does not count per inbox. */
  const totalUnread = computed(() => inboxes.value.reduce((sum, inbox) => sum + inbox.unread_count, 0));

  async function refresh(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    if (!workspaceId) return;
    const { data } = await inboxesApi.list(workspaceId);
    if (workspaceId !== scope?.workspaceId) return;
    inboxes.value = data;
    loaded.value = true;
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

  /** Forgets what it holds and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    inboxes.value = [];
    loaded.value = false;
  }

  return { inboxes, loaded, byId, totalUnread, refresh, scheduleRefresh, adjustUnread, createWidget, createCloud, reset };
});
