import { describe, expect, it } from "vitest";
import { makeCampaign } from "../../../testing/factories.ts";
import { type CampaignDraft, campaignRequest, draftOf, emptyDraft, stepProblem } from "./campaign-draft.ts";

const draft = (overrides: Partial<CampaignDraft>): CampaignDraft => ({ ...emptyDraft(), name: "Promo", inboxId: "inbox-1", ...overrides });

describe("the wizard's request", () => {
  it("sends a Cloud API template with each variable as a field in {{…}} (with its fallback), a custom attribute or literal text", () => {
    const request = campaignRequest(
      draft({
        template: { name: "promo_ramadan", language: "id" },
        variables: [
          { kind: "field", field: "first_name", fallback: " Kak " },
          { kind: "attribute", key: " city ", fallback: "" },
          { kind: "text", text: "RAMADAN20" },
        ],
        labels: ["vip", "jakarta"],
        body: "ignored for a template",
      }),
      "whatsapp_cloud",
      "Asia/Jakarta",
    );
    expect(request).toEqual({
      name: "Promo",
      inbox_id: "inbox-1",
      message: { template: { name: "promo_ramadan", language: "id", variables: ["{{first_name|Kak}}", "{{city}}", "RAMADAN20"] } },
      audience: { labels: ["vip", "jakarta"] },
      schedule_at: null,
    });
  });

  it("sends WhatsApp Web text with its non-empty variations, picked contacts and include_never_wrote only when ticked", () => {
    const request = campaignRequest(
      draft({
        body: "  Hi {{name|Kak}}  ",
        variations: ["Halo {{first_name}}", "  "],
        contacts: [{ id: "c1", name: "Dewi" }],
        includeNeverWrote: true,
        dailyCap: 150,
      }),
      "whatsapp_web",
      "Asia/Jakarta",
    );
    expect(request).toEqual({
      name: "Promo",
      inbox_id: "inbox-1",
      message: { body: "Hi {{name|Kak}}", variations: ["Halo {{first_name}}"] },
      audience: { contact_ids: ["c1"], include_never_wrote: true },
      schedule_at: null,
      pacing: { daily_cap: 150 },
    });
  });

  it("schedules the wall time in the workspace's zone as the UTC instant it names", () => {
    const scheduled = draft({ body: "Hi", labels: ["vip"], scheduleAt: { date: "2026-12-01", time: "09:00" } });
    expect(campaignRequest(scheduled, "whatsapp_web", "Asia/Jakarta").schedule_at).toBe("2026-12-01T02:00:00.000Z");
    expect(campaignRequest(scheduled, "whatsapp_web", "Europe/Lisbon").schedule_at).toBe("2026-12-01T09:00:00.000Z");
  });

  it("reads a saved campaign back into the wizard, so editing and saving changes nothing", () => {
    const campaign = makeCampaign({
      message: { template: { name: "promo", language: "en_US", variables: ["{{name|Kak}}", "{{city}}", "SALE"] } },
      audience: { labels: ["vip"], contact_ids: ["c1"] },
      schedule_at: "2026-12-01T02:00:00.000Z",
      pacing: { per_second: 40 },
    });
    const edited = draftOf(campaign, "Asia/Jakarta");
    expect(edited.scheduleAt).toEqual({ date: "2026-12-01", time: "09:00" });
    expect(campaignRequest(edited, "whatsapp_cloud", "Asia/Jakarta")).toEqual({
      name: campaign.name,
      inbox_id: campaign.inbox_id,
      message: campaign.message,
      audience: campaign.audience,
      schedule_at: campaign.schedule_at,
      pacing: campaign.pacing,
    });
  });

  it("says what each step still needs", () => {
    expect(stepProblem("inbox", draft({ name: " " }), "whatsapp_web")).toBe("Give the campaign a name.");
    expect(stepProblem("inbox", draft({}), null)).toBe("Choose the inbox to send from.");
    expect(stepProblem("message", draft({}), "whatsapp_cloud")).toBe("Choose an approved template.");
    expect(stepProblem("message", draft({ template: { name: "t", language: "en" }, variables: [{ kind: "text", text: " " }] }), "whatsapp_cloud")).toBe(
      "Give every template variable a value.",
    );
    expect(
      stepProblem(
        "message",
        draft({ template: { name: "t", language: "en" }, variables: [{ kind: "attribute", key: "home city", fallback: "" }] }),
        "whatsapp_cloud",
      ),
    ).toBe("An attribute key has only letters, digits, _ . and -.");
    expect(stepProblem("message", draft({ body: "  " }), "whatsapp_web")).toBe("Write the message.");
    expect(stepProblem("audience", draft({}), "whatsapp_web")).toBe("Pick at least one label or contact.");
    expect(stepProblem("audience", draft({ labels: ["vip"] }), "whatsapp_web")).toBeNull();
  });
});
