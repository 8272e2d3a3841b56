import { flushPromises, mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { reactive } from "vue";
import { setLocale } from "../../../i18n/index.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { type CampaignDraft, emptyDraft } from "../lib/campaign-draft.ts";
import AudienceStep from "./AudienceStep.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const previewPath = `/api/v1/workspaces/${workspaceId}/campaigns/audience-preview`;
const labels = ["vip", "jakarta", "reseller"].map((name, index) => ({ id: `l${index}`, name, color: "#00a884", created_at: "2026-01-01T00:00:00.000Z" }));

describe("the audience step", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("counts once after a burst of changes, with the reasons others are skipped", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const requests = fakeFetch({
      [`POST ${previewPath}`]: () => jsonResponse({ total: 10, eligible: 4, skipped: { never_wrote: 4, opted_out: 1, no_phone: 1 } }),
    });
    const draft = reactive<CampaignDraft>({ ...emptyDraft(), name: "Promo", inboxId: "inbox-web", body: "Hi {{name}}" });
    const wrapper = mount(AudienceStep, { props: { workspaceId, draft, provider: "whatsapp_web", labels } });
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe("Pick labels or contacts to see who will receive it.");

    for (const name of ["vip", "jakarta", "reseller"])
      await wrapper
        .findAll("button")
        .find((button) => button.text() === name)!
        .trigger("click");
    await wrapper
      .findAll("button")
      .find((button) => button.text() === "reseller")!
      .trigger("click");
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe("Counting…");
    await vi.runAllTimersAsync();
    await flushPromises();

    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({ inbox_id: "inbox-web", audience: { labels: ["vip", "jakarta"] }, message: { body: "Hi {{name}}" } });
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe("4 will receive it, 6 skipped: 4 never wrote to this number, 1 opted out, 1 no phone.");
  });

  it("says so when the audience cannot be counted", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    fakeFetch({ [`POST ${previewPath}`]: () => jsonResponse({ error: { code: "inboxes.not_found", message: "No such inbox." } }, 404) });
    const draft = reactive<CampaignDraft>({ ...emptyDraft(), inboxId: "gone", labels: ["vip"] });
    const wrapper = mount(AudienceStep, { props: { workspaceId, draft, provider: "whatsapp_web", labels } });
    await vi.runAllTimersAsync();
    await flushPromises();
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe("Couldn't count the audience: No such inbox.");
  });

  it("counts in Indonesian, numbers written the Indonesian way", async () => {
    setLocale("id");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    fakeFetch({ [`POST ${previewPath}`]: () => jsonResponse({ total: 2500, eligible: 1200, skipped: { never_wrote: 1299, opted_out: 1 } }) });
    const draft = reactive<CampaignDraft>({ ...emptyDraft(), inboxId: "inbox-web", labels: ["vip"] });
    const wrapper = mount(AudienceStep, { props: { workspaceId, draft, provider: "whatsapp_web", labels } });
    await vi.runAllTimersAsync();
    await flushPromises();
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe(
      "1.200 akan menerimanya, 1.300 dilewati: 1.299 belum pernah chat ke nomor ini, 1 berhenti berlangganan.",
    );
    expect(wrapper.text()).toContain("Kirim juga ke kontak yang belum pernah chat ke nomor ini");
  });
});
