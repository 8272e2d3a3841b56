import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { makeCampaign, makeCounts } from "../../../testing/factories.ts";
import CampaignList from "./CampaignList.vue";

const inboxNames = new Map([["inbox-web", "Toko WhatsApp"]]);

describe("the campaign list", () => {
  it("invites a first campaign when there is none", async () => {
    const wrapper = mount(CampaignList, { props: { campaigns: [], inboxNames, loading: false } });
    expect(wrapper.get('[data-testid="campaigns-empty"]').text()).toContain("No campaigns yet");
    await wrapper.get("button").trigger("click");
    expect(wrapper.emitted("create")).toHaveLength(1);
  });

  it("shows each campaign's inbox, status, progress, rates and schedule, and opens it", async () => {
    const running = makeCampaign({
      id: "ca-1",
      name: "Ramadan sale",
      inbox_id: "inbox-web",
      status: "running",
      counts: makeCounts({ total: 200, pending: 100, sent: 20, delivered: 40, read: 20, replied: 8, failed: 10, skipped: 10 }),
    });
    const scheduled = makeCampaign({ id: "ca-2", name: "Lebaran", inbox_id: "gone", status: "scheduled", schedule_at: "2026-12-01T02:00:00.000Z" });
    const wrapper = mount(CampaignList, { props: { campaigns: [running, scheduled], inboxNames, loading: false } });
    const [first, second] = wrapper.findAll('[data-testid="campaign-list"] > li');
    expect(first!.text()).toContain("Toko WhatsApp");
    expect(first!.get('[data-testid="campaign-status"]').text()).toBe("Running");
    expect(first!.get('[data-testid="campaign-progress"]').attributes("aria-valuetext")).toBe("100 of 200");
    expect(first!.get('[data-testid="campaign-rates"]').text()).toBe("75 %delivered25 %read10 %replied");
    expect(second!.text()).toContain("Deleted inbox");
    expect(second!.text()).toContain("scheduled for");
    await second!.get("button").trigger("click");
    expect(wrapper.emitted("open")).toEqual([["ca-2"]]);
  });
});
