import type { ApiCampaignRecipient, CampaignRecipientStatus } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";
import { errorText } from "../../../lib/http.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { campaignsApi } from "../api/campaigns.api.ts";

/**
 * The recipients table of the campaign on screen: one status filter, pages appended as the
 * table scrolls (`next_cursor`), started afresh when the campaign or the filter changes; while
 * only the first page is shown, `refresh` re-reads it in place as the campaign progresses.
 */
export const useCampaignRecipientsStore = defineStore("campaign-recipients", () => {
  let scope: WorkspaceScope | null = null;
  const campaignId = ref<string | null>(null);
  const status = ref<CampaignRecipientStatus | null>(null);
  const rows = shallowRef<ApiCampaignRecipient[]>([]);
  const loading = ref(false);
  const done = ref(false);
  const error = ref<string | null>(null);
  let cursor: string | null = null;
  let controller: AbortController | null = null;
  /** Pages shown since `open` (a refresh only replaces a lone first page: it never drops what was scrolled to). */
  let pages = 0;

  /** Shows `id`'s recipients with `filter` (null: all), from the first page. */
  async function open(id: string, filter: CampaignRecipientStatus | null = null): Promise<void> {
    controller?.abort();
    controller = null;
    campaignId.value = id;
    status.value = filter;
    rows.value = [];
    cursor = null;
    pages = 0;
    done.value = false;
    error.value = null;
    loading.value = false;
    await loadMore();
  }

  /** Appends the next page (nothing when one is loading or all are shown). */
  async function loadMore(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const id = campaignId.value;
    if (!workspaceId || !id || loading.value || done.value) return;
    loading.value = true;
    error.value = null;
    const mine = new AbortController();
    controller = mine;
    try {
      const page = await campaignsApi.recipients(workspaceId, id, { status: status.value, cursor }, mine.signal);
      if (controller !== mine) return;
      rows.value = [...rows.value, ...page.data];
      cursor = page.next_cursor;
      pages++;
      done.value = page.next_cursor === null;
    } catch (caught) {
      if (controller === mine && (caught as Error).name !== "AbortError") error.value = errorText(caught);
    } finally {
      if (controller === mine) {
        loading.value = false;
        controller = null;
      }
    }
  }

  /** Re-reads the first page in place (statuses moved); nothing while a page loads or more than one is shown. */
  async function refresh(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const id = campaignId.value;
    if (!workspaceId || !id || loading.value || pages !== 1) return;
    const filter = status.value;
    try {
      const page = await campaignsApi.recipients(workspaceId, id, { status: filter, cursor: null });
      if (campaignId.value !== id || status.value !== filter || loading.value || pages !== 1) return;
      rows.value = page.data;
      cursor = page.next_cursor;
      done.value = page.next_cursor === null;
    } catch {
      // The rows shown stay; the next progress tries again.
    }
  }

  /** Forgets the table (the campaign left the screen); the workspace stays. */
  function close(): void {
    reset(scope);
  }

  function reset(next: WorkspaceScope | null = null): void {
    controller?.abort();
    controller = null;
    scope = next;
    campaignId.value = null;
    status.value = null;
    rows.value = [];
    cursor = null;
    pages = 0;
    done.value = false;
    loading.value = false;
    error.value = null;
  }

  return { campaignId, status, rows, loading, done, error, open, loadMore, refresh, close, reset };
});
