import type { ApiCampaign, ApiCampaignRequest, CampaignProgressEventPayload } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { computed, ref, shallowReactive } from "vue";
import { t } from "../../../i18n/index.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { type CampaignAction, campaignsApi } from "../api/campaigns.api.ts";

/**
 * The workspace's campaigns, kept live by `campaign.progress` events (applied by the app's
 * live-sync): the list page and the running view read the same objects, so a count that moves on
 * one moves on both. Newest first.
 */
export const useCampaignsStore = defineStore("campaigns", () => {
  let scope: WorkspaceScope | null = null;
  const byId = shallowReactive(new Map<string, ApiCampaign>());
  const loaded = ref(false);
  const loading = ref(false);
  /** Ids waiting for their answer to an action (pause, resume…), so buttons can show it. */
  const busy = shallowReactive(new Set<string>());

  const campaigns = computed(() => [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id)));

  function workspace(): string {
    if (!scope) throw new Error(t("errors.noWorkspace"));
    return scope.workspaceId;
  }

  function put(campaign: ApiCampaign): ApiCampaign {
    byId.set(campaign.id, campaign);
    return campaign;
  }

  /** Loads (or reloads) the list; campaigns deleted elsewhere drop out. */
  async function refresh(): Promise<void> {
    const workspaceId = workspace();
    loading.value = true;
    try {
      const { data } = await campaignsApi.list(workspaceId);
      if (workspaceId !== scope?.workspaceId) return;
      byId.clear();
      for (const campaign of data) byId.set(campaign.id, campaign);
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** Reads one campaign from the server (the running view opening, or catching up after a reconnect). */
  async function load(campaignId: string): Promise<ApiCampaign> {
    const workspaceId = workspace();
    const campaign = await campaignsApi.get(workspaceId, campaignId);
    return workspaceId === scope?.workspaceId ? put(campaign) : campaign;
  }

  function get(campaignId: string): ApiCampaign | undefined {
    return byId.get(campaignId);
  }

  async function create(request: ApiCampaignRequest): Promise<ApiCampaign> {
    return put(await campaignsApi.create(workspace(), request));
  }

  async function update(campaignId: string, request: ApiCampaignRequest): Promise<ApiCampaign> {
    return put(await campaignsApi.update(workspace(), campaignId, request));
  }

  async function remove(campaignId: string): Promise<void> {
    await campaignsApi.delete(workspace(), campaignId);
    byId.delete(campaignId);
  }

  /**
   * Starts, pauses, resumes, cancels or retries the failed recipients; the campaign takes the
   * status the server answers with (throws its ApiError, e.g. 409 when the status moved meanwhile).
   */
  async function act(campaignId: string, action: CampaignAction): Promise<ApiCampaign> {
    busy.add(campaignId);
    try {
      return put(await campaignsApi.act(workspace(), campaignId, action));
    } finally {
      busy.delete(campaignId);
    }
  }

  /**
   * `campaign.progress`: the counts and status as the server has them now. An unknown campaign
   * (created in another tab) is fetched once the list has been loaded.
   */
  function applyProgress(payload: CampaignProgressEventPayload): void {
    const known = byId.get(payload.campaign_id);
    if (known) {
      byId.set(payload.campaign_id, {
        ...known,
        status: payload.status,
        counts: payload.counts,
        waiting_until: payload.waiting_until ?? null,
        waiting_reason: payload.waiting_reason ?? null,
      });
      // The failures by reason only come with the campaign itself: re-read it when failures grow.
      if (payload.counts.failed !== known.counts.failed) scheduleReload(payload.campaign_id);
      return;
    }
    if (loaded.value) scheduleReload(payload.campaign_id);
  }

  const reloadTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Re-reads a campaign soon, once for a burst of events. */
  function scheduleReload(campaignId: string, delayMs = 1000): void {
    if (reloadTimers.has(campaignId)) return;
    reloadTimers.set(
      campaignId,
      setTimeout(() => {
        reloadTimers.delete(campaignId);
        void load(campaignId).catch(() => {});
      }, delayMs),
    );
  }

  /** After a reconnect: re-reads what is on screen (events may have been missed meanwhile). */
  async function catchUp(): Promise<void> {
    if (!scope) return;
    if (loaded.value) await refresh();
    else await Promise.all([...byId.keys()].map((id) => load(id)));
  }

  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    byId.clear();
    busy.clear();
    for (const timer of reloadTimers.values()) clearTimeout(timer);
    reloadTimers.clear();
    loaded.value = false;
    loading.value = false;
  }

  return { campaigns, loaded, loading, busy, refresh, load, get, create, update, remove, act, applyProgress, catchUp, reset };
});
