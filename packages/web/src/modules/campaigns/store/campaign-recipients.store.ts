import type { ApiCampaignRecipient, CampaignRecipientStatus } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { ref, shallowRef, watch } from "vue";
import { errorText } from "../../../lib/http.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { campaignsApi } from "../api/campaigns.api.ts";

/** Recipients per page the table appends: the server's default page size. */
const pageSize = 100;
/** Most recipients one request may ask for (the server's limit), so a refresh of many pages takes few requests. */
const maxPageSize = 500;

/**
 * The recipients table of the campaign on screen: one status filter, pages appended as the
 * table scrolls (`next_cursor`), started afresh when the campaign or the filter changes.
 * `refresh` re-reads every page shown in place as the campaign progresses: asked while a
 * page or another refresh is loading, it runs again once that is done, so the last progress
 * of a campaign is always shown.
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
  /** Pages shown since `open`: a refresh re-reads as many, so it never drops what was scrolled to. */
  let pages = 0;
  /** Moves whenever the rows change other than by a refresh: a refresh read before it is stale. */
  let version = 0;
  /** The refresh under way, if any; `again`: a newer one was asked meanwhile. */
  let refreshing: Promise<void> | null = null;
  let again = false;

  /** Shows `id`'s recipients with `filter` (null: all), from the first page. */
  async function open(id: string, filter: CampaignRecipientStatus | null = null): Promise<void> {
    controller?.abort();
    controller = null;
    campaignId.value = id;
    status.value = filter;
    rows.value = [];
    cursor = null;
    pages = 0;
    version++;
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
    version++;
    const mine = new AbortController();
    controller = mine;
    try {
      const page = await campaignsApi.recipients(workspaceId, id, { status: status.value, cursor }, mine.signal);
      if (controller !== mine) return;
      rows.value = [...rows.value, ...page.data];
      cursor = page.next_cursor;
      pages++;
      version++;
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

  /**
   * Re-reads every page shown, in place (statuses moved). Asked while one runs, it runs once
   * more afterwards; asked while a page loads, it reads after it. Resolves when the rows shown
   * are at least as new as the call; a failed read leaves them (the next progress tries again).
   */
  function refresh(): Promise<void> {
    again = true;
    refreshing ??= (async () => {
      try {
        while (again) {
          again = false;
          if (loading.value) await waitForPage();
          await rereadShownPages();
        }
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  /** Resolves once no page is loading. */
  function waitForPage(): Promise<void> {
    return new Promise((resolve) => {
      const stop = watch(loading, (now) => {
        if (now) return;
        stop();
        resolve();
      });
    });
  }

  async function rereadShownPages(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const id = campaignId.value;
    // Nothing shown yet: `open` is reading the first page as it is now.
    if (!workspaceId || !id || pages === 0) return;
    const filter = status.value;
    const seen = version;
    const wanted = pages * pageSize;
    const read: ApiCampaignRecipient[] = [];
    let next: string | null = null;
    try {
      do {
        const limit = Math.min(maxPageSize, wanted - read.length);
        const page = await campaignsApi.recipients(workspaceId, id, { status: filter, cursor: next, ...(limit === pageSize ? {} : { limit }) });
        if (version !== seen) {
          // A page was appended (or the table reopened) meanwhile: read again what is shown now.
          if (campaignId.value === id && status.value === filter) again = true;
          return;
        }
        read.push(...page.data);
        next = page.next_cursor;
      } while (next !== null && read.length < wanted);
    } catch {
      return;
    }
    rows.value = read;
    cursor = next;
    done.value = next === null;
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
    version++;
    done.value = false;
    loading.value = false;
    error.value = null;
  }

  return { campaignId, status, rows, loading, done, error, open, loadMore, refresh, close, reset };
});
