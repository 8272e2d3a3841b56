import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeCampaign, makeCounts } from "../../../testing/factories.ts";
import { useCampaignsStore } from "./campaigns.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const campaignsPath = `/api/v1/workspaces/${workspaceId}/campaigns`;

function setup() {
  setActivePinia(createPinia());
  const store = useCampaignsStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  return store;
}

describe("the campaigns store", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("lists newest first and moves a campaign's counts and status with each campaign.progress event", async () => {
    const older = makeCampaign({ id: "ca-1", name: "Older", created_at: "2026-11-01T00:00:00.000Z" });
    const running = makeCampaign({ id: "ca-2", name: "Running", status: "running", counts: makeCounts({ total: 3, pending: 3 }) });
    fakeFetch({ [`GET ${campaignsPath}`]: () => jsonResponse({ data: [older, running] }) });
    const store = setup();
    await store.refresh();
    expect(store.campaigns.map((campaign) => campaign.name)).toEqual(["Running", "Older"]);

    store.applyProgress({ campaign_id: "ca-2", status: "running", counts: makeCounts({ total: 3, pending: 1, sent: 1, delivered: 1 }) });
    expect(store.get("ca-2")?.counts).toMatchObject({ pending: 1, sent: 1, delivered: 1 });
    store.applyProgress({ campaign_id: "ca-2", status: "completed", counts: makeCounts({ total: 3, read: 3 }) });
    expect(store.get("ca-2")).toMatchObject({ status: "completed", counts: { pending: 0, read: 3 } });
    expect(store.get("ca-1")?.counts.total).toBe(0);
  });

  it("re-reads a campaign once for a burst of events that add failures, to show them by reason", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 5, pending: 5 }) });
    const requests = fakeFetch({
      [`GET ${campaignsPath}/ca-1`]: () =>
        jsonResponse({ ...campaign, counts: makeCounts({ total: 5, pending: 3, failed: 2 }), failed_by_reason: { "Re-engagement message": 2 } }),
      [`GET ${campaignsPath}`]: () => jsonResponse({ data: [campaign] }),
    });
    const store = setup();
    await store.refresh();
    store.applyProgress({ campaign_id: "ca-1", status: "running", counts: makeCounts({ total: 5, pending: 4, failed: 1 }) });
    store.applyProgress({ campaign_id: "ca-1", status: "running", counts: makeCounts({ total: 5, pending: 3, failed: 2 }) });
    await vi.runAllTimersAsync();
    expect(requests.filter((request) => request.url === `${campaignsPath}/ca-1`)).toHaveLength(1);
    expect(store.get("ca-1")?.failed_by_reason).toEqual({ "Re-engagement message": 2 });
  });

  it("fetches a campaign it has never seen (created in another tab) once the list is loaded", async () => {
    const fresh = makeCampaign({ id: "ca-new", name: "From another tab", status: "running" });
    fakeFetch({
      [`GET ${campaignsPath}/ca-new`]: () => jsonResponse(fresh),
      [`GET ${campaignsPath}`]: () => jsonResponse({ data: [] }),
    });
    const store = setup();
    await store.refresh();
    store.applyProgress({ campaign_id: "ca-new", status: "running", counts: makeCounts({ total: 1, pending: 1 }) });
    await vi.runAllTimersAsync();
    expect(store.campaigns.map((campaign) => campaign.name)).toEqual(["From another tab"]);
  });

  it("takes the status the server answers an action with, and keeps the old one when it refuses", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running" });
    fakeFetch({
      [`POST ${campaignsPath}/ca-1/pause`]: () => jsonResponse({ ...campaign, status: "paused" }),
      [`POST ${campaignsPath}/ca-1/resume`]: () =>
        jsonResponse({ error: { code: "campaigns.invalid_transition", message: "The campaign is not paused." } }, 409),
      [`GET ${campaignsPath}`]: () => jsonResponse({ data: [campaign] }),
    });
    const store = setup();
    await store.refresh();
    await store.act("ca-1", "pause");
    expect(store.get("ca-1")?.status).toBe("paused");
    await expect(store.act("ca-1", "resume")).rejects.toMatchObject({ status: 409, message: "The campaign is not paused." });
    expect(store.get("ca-1")?.status).toBe("paused");
    expect(store.busy.size).toBe(0);
  });
});
