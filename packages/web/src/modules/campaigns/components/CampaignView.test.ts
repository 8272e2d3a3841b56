import type { ApiCampaign, ApiCampaignRecipient } from "@parley/protocol/api";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defineComponent, h } from "vue";
import { setLocale } from "../../../i18n/index.ts";
import { formatFull } from "../../../ui/time.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeCampaign, makeCounts } from "../../../testing/factories.ts";
import { useCampaignRecipientsStore } from "../store/campaign-recipients.store.ts";
import { useCampaignsStore } from "../store/campaigns.store.ts";
import CampaignView from "./CampaignView.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const base = `/api/v1/workspaces/${workspaceId}/campaigns/ca-1`;

function recipient(index: number, overrides: Partial<ApiCampaignRecipient> = {}): ApiCampaignRecipient {
  return {
    id: `r-${String(index).padStart(3, "0")}`,
    contact_id: `contact-${index}`,
    contact_name: `Customer ${index}`,
    phone: `+62812000${String(index).padStart(5, "0")}`,
    status: "sent",
    reason: null,
    error_code: null,
    message_id: null,
    provider_message_id: null,
    sent_at: "2026-11-20T08:00:00.000Z",
    delivered_at: null,
    read_at: null,
    failed_at: null,
    replied_at: null,
    opted_out_at: null,
    ...overrides,
  };
}

/** The running view as the page shows it: the campaign read from the store, so events and actions reach it. */
async function mountView(campaign: ApiCampaign, canManage = true) {
  setActivePinia(createPinia());
  const scope = { workspaceId, me: { id: "me", name: "Owner" } };
  const campaigns = useCampaignsStore();
  campaigns.reset(scope);
  useCampaignRecipientsStore().reset(scope);
  await campaigns.load(campaign.id);
  await useCampaignRecipientsStore().open(campaign.id);
  const Host = defineComponent(() => () => {
    const shown = campaigns.get(campaign.id);
    return shown ? h(CampaignView, { workspaceId, campaign: shown, inboxName: "Toko WhatsApp", canManage }) : null;
  });
  const wrapper = mount(Host, { attachTo: document.body });
  await flushPromises();
  return { wrapper, campaigns };
}

const actionButtons = (wrapper: Awaited<ReturnType<typeof mountView>>["wrapper"]) =>
  wrapper.findAll('[data-testid="campaign-actions"] button').map((button) => button.text());
const progressOf = (campaign: ApiCampaign) => ({ campaign_id: campaign.id, status: campaign.status, counts: campaign.counts });
const count = (wrapper: Awaited<ReturnType<typeof mountView>>["wrapper"], key: string) =>
  wrapper.get(`[data-testid="count-${key}"] [data-testid="count-value"]`).text();

describe("a campaign's running view", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("offers the actions each status allows", async () => {
    const cases: Array<[ApiCampaign["status"], number, string[]]> = [
      ["draft", 0, ["Edit", "Start", "Delete draft"]],
      ["scheduled", 0, ["Edit", "Cancel campaign"]],
      ["running", 0, ["Pause", "Cancel campaign"]],
      ["paused", 2, ["Resume", "Retry failed", "Cancel campaign"]],
      ["completed", 2, ["Retry failed"]],
      ["cancelled", 0, []],
    ];
    for (const [status, failed, expected] of cases) {
      const campaign = makeCampaign({ id: "ca-1", status, counts: makeCounts({ total: 10, failed }) });
      fakeFetch({ [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }), [`GET ${base}`]: () => jsonResponse(campaign) });
      const { wrapper } = await mountView(campaign);
      expect(actionButtons(wrapper), status).toEqual(expected);
      wrapper.unmount();
    }
  });

  it("shows agents and viewers the figures without the actions or the recipients' CSV (those are for owners and admins)", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 10, sent: 4, pending: 6 }) });
    fakeFetch({ [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }), [`GET ${base}`]: () => jsonResponse(campaign) });
    const { wrapper } = await mountView(campaign, false);
    expect(wrapper.find('[data-testid="campaign-actions"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="export-recipients"]').exists()).toBe(false);
    expect(count(wrapper, "sent")).toBe("4");
    const { wrapper: managed } = await mountView(campaign, true);
    expect(managed.find('[data-testid="export-recipients"]').exists()).toBe(true);
  });

  it("deletes a draft after asking", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "draft" });
    const requests = fakeFetch({
      [`DELETE ${base}`]: () => jsonResponse(null, 204),
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper, campaigns } = await mountView(campaign);
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Delete draft")!
      .trigger("click");
    (document.querySelector('[data-testid="confirm-dialog-confirm"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(requests.filter((request) => request.method === "DELETE").map((request) => request.url)).toEqual([base]);
    expect(campaigns.get("ca-1")).toBeUndefined();
  });

  it("speaks Indonesian: actions, counters, statuses, reasons, numbers and the cancel question", async () => {
    setLocale("id");
    const counts = makeCounts({ total: 2000, sent: 1200, failed: 3, skipped: 2, pending: 795 });
    const campaign = makeCampaign({ id: "ca-1", status: "paused", counts, failed_by_reason: { never_wrote: 3 } });
    fakeFetch({
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [recipient(1, { status: "skipped", reason: "opted_out" })], next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper } = await mountView(campaign);
    expect(actionButtons(wrapper)).toEqual(["Lanjutkan", "Kirim ulang yang gagal", "Batalkan kampanye"]);
    expect(wrapper.get('[data-testid="campaign-status"]').text()).toBe("Dijeda");
    expect(wrapper.get('[data-testid="count-sent"]').text()).toContain("Terkirim");
    expect(wrapper.get('[data-testid="count-read"]').text()).toContain("Dibaca");
    expect(wrapper.get('[data-testid="count-replied"]').text()).toContain("Dibalas");
    expect(count(wrapper, "sent")).toBe("1.200");
    expect(wrapper.get('[data-testid="campaign-progress-text"]').text()).toBe("1.205 dari 2.000 selesai · 795 menunggu");
    expect(wrapper.get('[data-testid="campaign-failures"]').text()).toContain("belum pernah chat ke nomor ini");
    expect(wrapper.get('[data-testid="recipient-row"]').text()).toContain("Dilewati");
    expect(wrapper.get('[data-testid="recipient-row"]').text()).toContain("berhenti berlangganan");
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Batalkan kampanye")!
      .trigger("click");
    expect(document.body.textContent).toContain("Batalkan kampanye ini?");
    expect(document.body.textContent).toContain("795 penerima yang masih menunggu akan dilewati");
  });

  it("grows its counters, rates and progress bar with each campaign.progress event", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 4, pending: 4 }) });
    fakeFetch({ [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }), [`GET ${base}`]: () => jsonResponse(campaign) });
    const { wrapper, campaigns } = await mountView(campaign);
    expect(count(wrapper, "sent")).toBe("0");
    expect(wrapper.get('[data-testid="count-delivered"] [data-testid="count-rate"]').text()).toBe("–");

    campaigns.applyProgress({
      campaign_id: "ca-1",
      status: "running",
      counts: makeCounts({ total: 4, pending: 1, sent: 1, delivered: 1, read: 1, replied: 1, opted_out: 1 }),
    });
    await flushPromises();
    expect(count(wrapper, "sent")).toBe("3");
    expect(count(wrapper, "delivered")).toBe("2");
    expect(count(wrapper, "read")).toBe("1");
    expect(count(wrapper, "replied")).toBe("1");
    expect(count(wrapper, "opted_out")).toBe("1");
    expect(wrapper.get('[data-testid="count-delivered"] [data-testid="count-rate"]').text()).toBe("67 %");
    expect(wrapper.get('[data-testid="campaign-progress"]').attributes("aria-valuenow")).toBe("3");
    expect(wrapper.get('[data-testid="campaign-progress-text"]').text()).toBe("3 of 4 done · 1 waiting");

    campaigns.applyProgress({ campaign_id: "ca-1", status: "completed", counts: makeCounts({ total: 4, read: 3, skipped: 1 }) });
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-view"]').attributes("data-status")).toBe("completed");
    expect(actionButtons(wrapper)).toEqual([]);
  });

  it("says when a running campaign waits for its daily cap, and stops saying so once it sends again", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 500, sent: 200, pending: 300 }) });
    fakeFetch({ [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }), [`GET ${base}`]: () => jsonResponse(campaign) });
    const { wrapper, campaigns } = await mountView(campaign);
    expect(wrapper.find('[data-testid="campaign-waiting"]').exists()).toBe(false);
    campaigns.applyProgress({ ...progressOf(campaign), waiting_until: "2026-11-21T08:00:00.000Z", waiting_reason: "daily_cap" });
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-waiting"]').text()).toBe(
      `Waiting: the daily cap of contacts — resumes at ${formatFull("2026-11-21T08:00:00.000Z")}`,
    );
    campaigns.applyProgress({ ...progressOf(campaign), waiting_until: null, waiting_reason: null });
    await flushPromises();
    expect(wrapper.find('[data-testid="campaign-waiting"]').exists()).toBe(false);
  });

  it("says when Meta's throughput limit holds a running campaign back, to the second it resumes, in English and Indonesian", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 500, sent: 200, pending: 300 }) });
    fakeFetch({ [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }), [`GET ${base}`]: () => jsonResponse(campaign) });
    const { wrapper, campaigns } = await mountView(campaign);
    const soon = new Date(Date.now() + 5_000);
    const clock = [soon.getHours(), soon.getMinutes(), soon.getSeconds()].map((part) => String(part).padStart(2, "0"));
    campaigns.applyProgress({ ...progressOf(campaign), waiting_until: soon.toISOString(), waiting_reason: "throughput" });
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-waiting"]').text()).toBe(`Waiting: Meta's throughput limit — resumes at ${clock.join(":")}`);
    setLocale("id");
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-waiting"]').text()).toBe(`Tertahan: batas throughput Meta — lanjut pada ${clock.join(".")}`);
    campaigns.applyProgress({ ...progressOf(campaign), waiting_until: soon.toISOString(), waiting_reason: "inbox_unavailable" });
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-waiting"]').text()).toContain("kotak masuk belum bisa mengirim");
  });

  it("pauses and resumes at a click, showing the status the server answers with", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 10, pending: 5, sent: 5 }) });
    const requests = fakeFetch({
      [`POST ${base}/pause`]: () => jsonResponse({ ...campaign, status: "paused" }),
      [`POST ${base}/resume`]: () => jsonResponse({ ...campaign, status: "running" }),
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper } = await mountView(campaign);
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Pause")!
      .trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-status"]').text()).toBe("Paused");
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Resume")!
      .trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="campaign-status"]').text()).toBe("Running");
    expect(requests.filter((request) => request.method === "POST").map((request) => request.url)).toEqual([`${base}/pause`, `${base}/resume`]);
  });

  it("cancels only after the confirm dialog, and keeps running when the dialog is dismissed", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 10, pending: 7, sent: 3 }) });
    const requests = fakeFetch({
      [`POST ${base}/cancel`]: () => jsonResponse({ ...campaign, status: "cancelled", counts: makeCounts({ total: 10, sent: 3, skipped: 7 }) }),
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper } = await mountView(campaign);
    const cancelButton = () => wrapper.findAll("button").find((button) => button.text() === "Cancel campaign")!;
    await cancelButton().trigger("click");
    expect(document.querySelector('[data-testid="confirm-dialog"]')?.textContent).toContain("the 7 recipients still waiting are skipped");
    (document.querySelector('[data-testid="confirm-dialog"] button') as HTMLButtonElement).click();
    await flushPromises();
    expect(document.querySelector('[data-testid="confirm-dialog"]')).toBeNull();
    expect(requests.some((request) => request.method === "POST")).toBe(false);

    await cancelButton().trigger("click");
    (document.querySelector('[data-testid="confirm-dialog-confirm"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(requests.filter((request) => request.method === "POST").map((request) => request.url)).toEqual([`${base}/cancel`]);
    expect(wrapper.get('[data-testid="campaign-status"]').text()).toBe("Cancelled");
    expect(count(wrapper, "skipped")).toBe("7");
  });

  it("retries the failed recipients, and lists failures by reason", async () => {
    const campaign = makeCampaign({
      id: "ca-1",
      status: "completed",
      counts: makeCounts({ total: 10, sent: 7, failed: 3 }),
      failed_by_reason: { "Message undeliverable": 1, "Re-engagement message": 2 },
    });
    const requests = fakeFetch({
      [`POST ${base}/retry-failed`]: () => jsonResponse({ ...campaign, status: "running", counts: makeCounts({ total: 10, sent: 7, pending: 3 }) }),
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper } = await mountView(campaign);
    expect(wrapper.findAll('[data-testid="campaign-failures"] li').map((item) => item.text())).toEqual(["Re-engagement message2", "Message undeliverable1"]);
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Retry failed")!
      .trigger("click");
    await flushPromises();
    expect(requests.some((request) => request.method === "POST" && request.url === `${base}/retry-failed`)).toBe(true);
    expect(wrapper.get('[data-testid="campaign-status"]').text()).toBe("Running");
  });

  it("updates the recipients' statuses while the campaign sends steadily, and shows its final state", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 2, pending: 2 }) });
    let statuses: Array<ApiCampaignRecipient["status"]> = ["pending", "pending"];
    fakeFetch({
      [`GET ${base}/recipients`]: () => jsonResponse({ data: statuses.map((status, index) => recipient(index + 1, { status })), next_cursor: null }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper, campaigns } = await mountView(campaign);
    const shown = () => wrapper.findAll('[data-testid="recipient-row"]').map((row) => row.attributes("data-status"));
    expect(shown()).toEqual(["pending", "pending"]);

    // A progress event every 250 ms (the server's pace) for 2 s: the table follows before they stop.
    statuses = ["sent", "pending"];
    for (let tick = 1; tick <= 8; tick++) {
      campaigns.applyProgress({ ...progressOf(campaign), counts: makeCounts({ total: 2, pending: 1, sent: 1, read: tick }) });
      await vi.advanceTimersByTimeAsync(250);
    }
    expect(shown()).toEqual(["sent", "pending"]);

    // The last events: the second is sent, both are delivered, the campaign completes.
    statuses = ["delivered", "delivered"];
    campaigns.applyProgress({ ...progressOf(campaign), counts: makeCounts({ total: 2, sent: 2 }) });
    await vi.advanceTimersByTimeAsync(100);
    campaigns.applyProgress({ ...progressOf(campaign), status: "completed", counts: makeCounts({ total: 2, delivered: 2 }) });
    await vi.runAllTimersAsync();
    await flushPromises();
    expect(shown()).toEqual(["delivered", "delivered"]);
    expect(wrapper.findAll('[data-testid="recipient-row"]').map((row) => row.text())).toEqual([
      expect.stringContaining("Delivered"),
      expect.stringContaining("Delivered"),
    ]);
  });

  it("filters the recipients by status and appends the next page", async () => {
    const campaign = makeCampaign({ id: "ca-1", status: "running", counts: makeCounts({ total: 3, sent: 2, failed: 1 }) });
    const requests = fakeFetch({
      [`GET ${base}/recipients?status=failed`]: () => jsonResponse({ data: [recipient(3, { status: "failed", reason: "opted_out" })], next_cursor: null }),
      [`GET ${base}/recipients?cursor=r-001`]: () => jsonResponse({ data: [recipient(2)], next_cursor: null }),
      [`GET ${base}/recipients`]: () => jsonResponse({ data: [recipient(1)], next_cursor: "r-001" }),
      [`GET ${base}`]: () => jsonResponse(campaign),
    });
    const { wrapper } = await mountView(campaign);
    const rows = () => wrapper.findAll('[data-testid="recipient-row"]').map((row) => row.text());
    expect(rows()).toHaveLength(1);
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "Load more")!
      .trigger("click");
    await flushPromises();
    expect(rows()).toEqual([expect.stringContaining("Customer 1"), expect.stringContaining("Customer 2")]);
    expect(wrapper.findAll("button").some((button) => button.text() === "Load more")).toBe(false);

    await wrapper
      .findAll('[data-testid="campaign-recipients"] .pill')
      .find((pill) => pill.text() === "Failed")!
      .trigger("click");
    await flushPromises();
    expect(rows()).toEqual([expect.stringContaining("opted out")]);
    expect(requests.filter((request) => request.url.includes("/recipients")).map((request) => request.url.split("/ca-1")[1])).toEqual([
      "/recipients",
      "/recipients?cursor=r-001",
      "/recipients?status=failed",
    ]);
  });
});
