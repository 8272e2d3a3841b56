import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Inbox } from "../../../lib/types.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeCampaign, makeCounts, makeInbox } from "../../../testing/factories.ts";
import { useCampaignsStore } from "../store/campaigns.store.ts";
import CampaignWizard from "./CampaignWizard.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const base = `/api/v1/workspaces/${workspaceId}`;
const cloudInbox: Inbox = makeInbox({
  id: "inbox-cloud",
  provider: "whatsapp_cloud",
  name: "Sales Cloud",
  phone_number: "+6281200000000",
  widget_key: null,
  widget: null,
  config: {
    phone_number_id: "1",
    waba_id: "2",
    graph_base_url: "",
    has_access_token: true,
    has_app_secret: true,
    has_verify_token: true,
    messaging_limit: 2000,
  },
});
const webInbox: Inbox = makeInbox({ id: "inbox-web", provider: "whatsapp_web", name: "Toko WhatsApp", widget_key: null, widget: null });
const widgetInbox: Inbox = makeInbox({ id: "inbox-widget", name: "Website" });

const labels = [
  { id: "l1", name: "vip", color: "#00a884", created_at: "2026-01-01T00:00:00.000Z" },
  { id: "l2", name: "jakarta", color: "#53bdeb", created_at: "2026-01-01T00:00:00.000Z" },
];
const templates = [
  { name: "promo_ramadan", language: "id", status: "APPROVED", category: "MARKETING", body: "Halo {{1}}, diskon {{2}} di {{3}}!", variable_count: 3 },
  { name: "draft_one", language: "id", status: "PENDING", category: "MARKETING", body: "Not yet", variable_count: 0 },
];

function serve(overrides: Record<string, (body: any, url: string) => Response> = {}) {
  // Overrides take the place of the default with the same key (first prefix match wins).
  return fakeFetch({
    [`GET ${base}/settings`]: () => jsonResponse({ country: "ID", time_zone: "Asia/Jakarta", opt_out_keywords: ["STOP"], opt_out_reply: null }),
    [`GET ${base}/labels`]: () => jsonResponse({ data: labels }),
    [`GET ${base}/inboxes/inbox-cloud/templates`]: () => jsonResponse({ data: templates }),
    [`POST ${base}/campaigns/audience-preview`]: () => jsonResponse({ total: 120, eligible: 115, skipped: { opted_out: 3, no_phone: 2 } }),
    [`POST ${base}/campaigns/preview`]: (body) => jsonResponse({ text: `Halo Dewi, diskon ${body.message.template?.variables[1] ?? ""}!` }),
    [`GET ${base}/contacts`]: () =>
      jsonResponse({
        data: [
          {
            id: "contact-dewi",
            name: "Dewi",
            email: null,
            phone: "+6281311112222",
            jid: null,
            visitor_id: null,
            avatar_url: null,
            last_seen_at: null,
            blocked: false,
            labels: [],
            opted_out_at: null,
            opt_out_source: null,
            created_at: "2026-01-01T00:00:00.000Z",
          },
        ],
        next_cursor: null,
      }),
    [`POST ${base}/campaigns/ca-1/start`]: () => jsonResponse(makeCampaign({ id: "ca-1", status: "scheduled" })),
    [`POST ${base}/campaigns`]: (body) => jsonResponse(makeCampaign({ id: "ca-1", ...body, pacing: body.pacing ?? {}, counts: makeCounts() }), 201),
    [`PATCH ${base}/campaigns/`]: (body, url) =>
      jsonResponse(makeCampaign({ id: url.split("/").at(-1)!, ...body, pacing: body.pacing ?? {}, counts: makeCounts() })),
    ...overrides,
  });
}

async function mountWizard(props: Record<string, unknown> = {}) {
  setActivePinia(createPinia());
  useCampaignsStore().reset({ workspaceId, me: { id: "me", name: "Owner" } });
  const wrapper = mount(CampaignWizard, {
    props: { workspaceId, inboxes: [widgetInbox, cloudInbox, webInbox], audienceDelayMs: 0, ...props },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

const button = (wrapper: Awaited<ReturnType<typeof mountWizard>>, text: string) => {
  const found = wrapper.findAll("button").find((candidate) => candidate.text() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
};

/**
 * Walks a WhatsApp Web campaign named `name` with `body` (and `variations`) to the audience
 * labelled vip, then asks for the review step (which saves the draft first).
 */
async function toReview(wrapper: Awaited<ReturnType<typeof mountWizard>>, name: string, body: string, variations: string[] = []) {
  await wrapper.get('[data-testid="campaign-name-input"]').setValue(name);
  await wrapper.get('input[value="inbox-web"]').setValue(true);
  await button(wrapper, "Next").trigger("click");
  await wrapper.get('[data-testid="campaign-body"]').setValue(body);
  for (const [index, variation] of variations.entries()) {
    await button(wrapper, "Add a variation").trigger("click");
    await wrapper.get(`[data-testid="variation-${index + 1}"] textarea`).setValue(variation);
  }
  await button(wrapper, "Next").trigger("click");
  await button(wrapper, "vip").trigger("click");
  await button(wrapper, "Next").trigger("click");
  await flushPromises();
}

async function settle() {
  // The audience count and contact search wait for typing to stop (setTimeout 0 / 300 ms).
  await vi.runAllTimersAsync();
  await flushPromises();
}

describe("the campaign wizard", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("creates a Cloud API campaign with its template variables mapped and a schedule in the workspace's zone as the right UTC instant", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const requests = serve();
    const wrapper = await mountWizard();

    // Inbox: only WhatsApp inboxes are offered.
    expect(wrapper.findAll('input[name="campaign-inbox"]').map((input) => (input.element as HTMLInputElement).value)).toEqual(["inbox-cloud", "inbox-web"]);
    expect(button(wrapper, "Next").attributes("disabled")).toBeDefined();
    await wrapper.get('[data-testid="campaign-name-input"]').setValue("Ramadan sale");
    await wrapper.get('input[value="inbox-cloud"]').setValue(true);
    await flushPromises();
    await button(wrapper, "Next").trigger("click");

    // Message: approved templates only; the body shows each variable's source as it is mapped.
    const select = wrapper.get('[data-testid="template-select"]');
    expect(select.findAll("option").map((option) => option.text())).toEqual(["Choose an approved template", "promo_ramadan (id) · marketing"]);
    await select.setValue("promo_ramadan\u0000id");
    expect(wrapper.get('[data-testid="template-body"]').text()).toBe("Halo [Name], diskon {{2}} di {{3}}!");
    await wrapper.get('[data-testid="variable-1"] select').setValue("first_name");
    await wrapper.get('[data-testid="variable-1"] input').setValue("Kak");
    await wrapper.get('[data-testid="variable-2"] input').setValue("20%");
    await wrapper.get('[data-testid="variable-3"] select').setValue("attribute");
    expect(wrapper.get('[data-testid="step-problem"]').text()).toBe("Give every template variable a value.");
    await wrapper.get('[data-testid="variable-3"] input').setValue("city");
    expect(wrapper.get('[data-testid="template-body"]').text()).toBe("Halo [First name], diskon 20% di [city]!");
    await button(wrapper, "Next").trigger("click");

    // Audience: a label, a picked contact, and the live count with its skip reasons.
    await button(wrapper, "vip").trigger("click");
    await wrapper.get('[data-testid="audience-step"] input[type="search"]').setValue("Dew");
    await settle();
    await wrapper.get('[role="option"]').trigger("click");
    await settle();
    expect(wrapper.get('[data-testid="audience-count"]').text()).toBe("115 will receive it, 5 skipped: 3 opted out, 2 no phone.");
    const preview = requests.filter((request) => request.url === `${base}/campaigns/audience-preview`).at(-1);
    expect(preview?.body).toEqual({
      inbox_id: "inbox-cloud",
      audience: { labels: ["vip"], contact_ids: ["contact-dewi"] },
      message: { template: { name: "promo_ramadan", language: "id", variables: ["{{first_name|Kak}}", "20%", "{{city}}"] } },
    });
    await button(wrapper, "Next").trigger("click");
    await flushPromises();

    // Review: a preview for one contact; scheduled for 1 December 09:00 Jakarta time.
    await wrapper.get('[data-testid="message-preview"] input[type="search"]').setValue("Dew");
    await settle();
    await wrapper.get('[data-testid="message-preview"] [role="option"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="preview-bubble"]').text()).toBe("Halo Dewi, diskon 20%!");
    // Left empty, the daily cap is the inbox's messaging limit.
    expect(wrapper.get('[data-testid="pacing-daily-cap"]').attributes("placeholder")).toBe("2,000");
    expect(wrapper.text()).toContain("Never above the inbox's messaging limit (2,000)");
    await wrapper.get('input[name="campaign-when"][value="later"]').setValue(true);
    await wrapper.get('[data-testid="schedule-date"]').setValue("2026-12-01");
    await wrapper.get('[data-testid="schedule-time"]').setValue("09:00");
    expect(wrapper.get('[data-testid="schedule-zone"]').text()).toBe("Asia/Jakarta (UTC+07:00)");
    expect(wrapper.get('[data-testid="campaign-start"]').text()).toBe("Schedule");
    await wrapper.get('[data-testid="campaign-start"]').trigger("click");
    await flushPromises();

    // Saved as a draft on the way to the review, then saved with the schedule.
    expect(requests.filter((request) => request.method === "POST" && request.url === `${base}/campaigns`)).toHaveLength(1);
    const saved = requests.filter((request) => request.method === "PATCH" && request.url === `${base}/campaigns/ca-1`).at(-1);
    expect(saved?.body).toEqual({
      name: "Ramadan sale",
      inbox_id: "inbox-cloud",
      message: { template: { name: "promo_ramadan", language: "id", variables: ["{{first_name|Kak}}", "20%", "{{city}}"] } },
      audience: { labels: ["vip"], contact_ids: ["contact-dewi"] },
      schedule_at: "2026-12-01T02:00:00.000Z",
    });
    expect(requests.some((request) => request.method === "POST" && request.url === `${base}/campaigns/ca-1/start`)).toBe(true);
    expect(wrapper.emitted("saved")?.[0]?.[0]).toMatchObject({ id: "ca-1", status: "scheduled" });
  });

  it("creates a WhatsApp Web campaign with variations, warns about bans, and starts now with the advanced pacing", async () => {
    const requests = serve();
    const wrapper = await mountWizard();
    await wrapper.get('[data-testid="campaign-name-input"]').setValue("Restock");
    await wrapper.get('input[value="inbox-web"]').setValue(true);
    await button(wrapper, "Next").trigger("click");

    expect(wrapper.get('[data-testid="ban-warning"]').text()).toContain("one message every 30–60 seconds");
    await wrapper.get('[data-testid="campaign-body"]').setValue("Hi ");
    (wrapper.get('[data-testid="campaign-body"]').element as HTMLTextAreaElement).setSelectionRange(3, 3);
    await button(wrapper, "+ First name").trigger("click");
    expect((wrapper.get('[data-testid="campaign-body"]').element as HTMLTextAreaElement).value).toBe("Hi {{first_name}}");
    await button(wrapper, "Add a variation").trigger("click");
    await button(wrapper, "Add a variation").trigger("click");
    await wrapper.get('[data-testid="variation-1"] textarea').setValue("Halo {{name|Kak}}, stok baru!");
    await wrapper.get('[data-testid="variation-2"] textarea').setValue("to be removed");
    await wrapper.get('[data-testid="variation-2"] button[aria-label="Remove variation 2"]').trigger("click");
    expect(wrapper.find('[data-testid="variation-2"]').exists()).toBe(false);
    await button(wrapper, "Next").trigger("click");

    await button(wrapper, "jakarta").trigger("click");
    await wrapper.get('[data-testid="include-never-wrote"]').setValue(true);
    await flushPromises();
    await button(wrapper, "Next").trigger("click");
    await flushPromises();

    const summary = wrapper.get('[data-testid="review-summary"]').text();
    expect(summary).toContain("Hi {{first_name}} (+ 1 variation)");
    expect(summary).toContain("Contacts labelled jakarta");
    await wrapper.get("details summary").trigger("click");
    await wrapper.get('[data-testid="pacing-daily-cap"]').setValue("150");
    expect(wrapper.find('[data-testid="pacing-per-second"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="campaign-start"]').text()).toBe("Start now");
    await wrapper.get('[data-testid="campaign-start"]').trigger("click");
    await flushPromises();

    const saved = requests.filter((request) => request.method === "PATCH" && request.url === `${base}/campaigns/ca-1`).at(-1);
    expect(saved?.body).toEqual({
      name: "Restock",
      inbox_id: "inbox-web",
      message: { body: "Hi {{first_name}}", variations: ["Halo {{name|Kak}}, stok baru!"] },
      audience: { labels: ["jakarta"], include_never_wrote: true },
      schedule_at: null,
      pacing: { daily_cap: 150 },
    });
  });

  it("shows the server's refusal of the draft on the way to the review, and stays on the step", async () => {
    serve({
      [`POST ${base}/campaigns/audience-preview`]: () => jsonResponse({ total: 0, eligible: 0, skipped: {} }),
      [`POST ${base}/campaigns`]: () => jsonResponse({ error: { code: "validation", message: "The inbox is not connected.", field: "inbox_id" } }, 422),
    });
    const wrapper = await mountWizard();
    await toReview(wrapper, "Draft", "Hello");
    expect(wrapper.get('[data-testid="wizard-error"]').text()).toBe("The inbox is not connected.");
    expect(wrapper.find('[data-testid="audience-step"]').exists()).toBe(true);
    expect(wrapper.emitted("saved")).toBeUndefined();
  });

  it("saves a draft without starting it", async () => {
    const requests = serve({ [`POST ${base}/campaigns/audience-preview`]: () => jsonResponse({ total: 0, eligible: 0, skipped: {} }) });
    const wrapper = await mountWizard();
    await toReview(wrapper, "Draft", "Hello");
    await button(wrapper, "Save draft").trigger("click");
    await flushPromises();
    expect(wrapper.emitted("saved")?.[0]?.[0]).toMatchObject({ id: "ca-1", status: "draft", name: "Draft" });
    expect(requests.some((request) => request.url.endsWith("/start"))).toBe(false);
  });

  it("previews with the draft it saved on the way to the review, so a contact sees their own variation, and keeps that draft up to date", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // The server picks a variation from the campaign's id and the contact's: without an id, another one.
    const requests = serve({
      [`POST ${base}/campaigns/preview`]: (body) => jsonResponse({ text: body.campaign_id === "ca-1" ? "Halo Dewi, stok baru!" : "Hi Dewi" }),
    });
    const wrapper = await mountWizard();
    await toReview(wrapper, "Restock", "Hi {{first_name}}", ["Halo {{first_name}}, stok baru!"]);
    await settle();
    const writes = () => requests.filter((request) => request.method !== "GET" && /\/campaigns(\/ca-1)?$/.test(request.url)).map((request) => request.method);
    expect(writes()).toEqual(["POST"]);
    // The page gives the new draft its URL.
    expect(wrapper.emitted("drafted")?.map(([campaign]) => campaign.id)).toEqual(["ca-1"]);

    await wrapper.get('[data-testid="message-preview"] input[type="search"]').setValue("Dew");
    await settle();
    await wrapper.get('[data-testid="message-preview"] [role="option"]').trigger("click");
    await settle();
    expect(requests.filter((request) => request.url === `${base}/campaigns/preview`).at(-1)?.body).toMatchObject({
      campaign_id: "ca-1",
      contact_id: "contact-dewi",
    });
    expect(wrapper.get('[data-testid="preview-bubble"]').text()).toBe("Halo Dewi, stok baru!");
    expect(wrapper.find('[data-testid="preview-variation-note"]').exists()).toBe(false);

    // An edit on an earlier step changes the same draft once the user pauses; no second draft.
    await button(wrapper, "Back").trigger("click");
    await button(wrapper, "Back").trigger("click");
    await wrapper.get('[data-testid="campaign-body"]').setValue("Hai {{first_name}}");
    await settle();
    expect(writes()).toEqual(["POST", "PATCH"]);
    expect(requests.at(-1)?.body).toMatchObject({ message: { body: "Hai {{first_name}}", variations: ["Halo {{first_name}}, stok baru!"] } });
    expect(wrapper.emitted("drafted")).toHaveLength(1);
    // A body emptied (the message step refuses it) is not saved.
    await wrapper.get('[data-testid="campaign-body"]').setValue("");
    await settle();
    expect(writes()).toEqual(["POST", "PATCH"]);

    // Leaving right after an edit still saves it: the draft stays in the list as it was left.
    await wrapper.get('[data-testid="campaign-body"]').setValue("Hai lagi {{first_name}}");
    wrapper.unmount();
    await flushPromises();
    expect(writes()).toEqual(["POST", "PATCH", "PATCH"]);
    expect(requests.at(-1)?.body).toMatchObject({ message: { body: "Hai lagi {{first_name}}" } });
    expect(useCampaignsStore().get("ca-1")).toMatchObject({ status: "draft", message: { body: "Hai lagi {{first_name}}" } });
  });

  it("schedules in the browser's zone when the workspace has no settings yet", async () => {
    serve({ [`GET ${base}/settings`]: () => jsonResponse({ error: { code: "not_found", message: "Not found." } }, 404) });
    const wrapper = await mountWizard({ campaign: makeCampaign({ inbox_id: "inbox-web", schedule_at: "2026-12-01T02:00:00.000Z" }) });
    for (let step = 0; step < 3; step++) await button(wrapper, "Next").trigger("click");
    await flushPromises();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(wrapper.get('[data-testid="schedule-zone"]').text()).toContain(zone);
  });
});
