/**
 * A Cloud API campaign in a real browser against the fake Graph API: the wizard offers the inbox's
 * approved templates, maps {{1}} to the contact's first name (with a fallback for a contact
 * without a name) and {{2}} to literal text, counts the audience with the opted-out contact
 * skipped, and every other contact receives the template with their own parameters. The running
 * view says why a campaign waits: Meta's throughput back-off (130429), and its daily cap. A wizard
 * left half-way leaves its campaign in the list as a draft, to continue or delete.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "../packages/server/src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { startTestParley, type TestParley, workspacePath } from "../packages/server/test/parley.ts";
import { eventually, launchBrowser, requireWebBuild, screenshot, signedInContext, signedInSession, signUp, watchErrors } from "./support.ts";

let parley: TestParley;
let browser: Browser;
let fake: FakeGraphApi;

beforeAll(async () => {
  requireWebBuild();
  [parley, browser, fake] = await Promise.all([
    startTestParley(),
    launchBrowser(),
    startFakeGraphApi({
      templates: [
        {
          name: "year_end_sale",
          language: "id",
          status: "APPROVED",
          category: "MARKETING",
          components: [{ type: "BODY", text: "Halo {{1}}, pakai kode {{2}} untuk diskon 20%!" }],
        },
        { name: "draft_promo", language: "id", status: "REJECTED", category: "MARKETING", components: [{ type: "BODY", text: "Sale!" }] },
      ],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await fake?.close();
});

/** The inbox config for the fake's number. */
const cloudConfig = () => ({
  phone_number_id: fake.phoneNumberId,
  waba_id: fake.wabaId,
  access_token: fake.accessToken,
  app_secret: "s3cret",
  verify_token: "v3rify",
  graph_base_url: fake.url,
});

/**
 * A new workspace with a Cloud API inbox on the fake and `count` contacts labelled "promo", its
 * owner signed in to a browser page; `draft` creates a campaign of the year_end_sale template to
 * them (with `pacing`), not started.
 */
async function cloudShop(label: string, count: number, phonePrefix: string) {
  const owner = await parley.api.signup(label);
  const ws = workspacePath(owner.workspaceId);
  const inbox = await parley.api.post<{ id: string }>(`${ws}/inboxes`, { name: "Toko Cloud", provider: "whatsapp_cloud", config: cloudConfig() }, owner.token);
  expect(inbox.status).toBe(201);
  expect((await parley.api.post(`${ws}/labels`, { name: "promo" }, owner.token)).status).toBe(201);
  for (let i = 0; i < count; i++) {
    const contact = { phone: `${phonePrefix}${String(i).padStart(4, "0")}`, name: `Pelanggan ${i + 1}`, labels: ["promo"] };
    expect((await parley.api.post(`${ws}/contacts`, contact, owner.token)).status).toBe(201);
  }
  const context = await signedInContext(browser, owner.token, owner.workspaceId, { width: 1280, height: 900 });
  const page = await context.newPage();
  return {
    owner,
    page,
    context,
    errors: watchErrors(page),
    async draft(name: string, pacing: { daily_cap?: number } = {}): Promise<string> {
      const created = await parley.api.post<{ id: string }>(
        `${ws}/campaigns`,
        {
          name,
          inbox_id: inbox.body.id,
          message: { template: { name: "year_end_sale", language: "id", variables: ["{{first_name|Kak}}", "HEMAT"] } },
          audience: { labels: ["promo"] },
          pacing,
        },
        owner.token,
      );
      expect(created.status).toBe(201);
      return created.body.id;
    },
    /** Opens the campaign's view and starts it there. */
    async start(campaignId: string): Promise<void> {
      await page.goto(`${parley.url}/w/${owner.workspaceId}/campaigns/${campaignId}`);
      await page.getByRole("button", { name: "Start" }).click();
    },
  };
}

it("sends an approved template with its variables mapped per contact, skipping the opted-out", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signUp(page, parley.url, { name: "Budi Owner", email: `cloud-campaign-${Date.now()}@example.com`, workspace: "Toko Budi" });
  const { token, workspaceId } = await signedInSession(page);
  const ws = workspacePath(workspaceId);
  const inbox = await parley.api.post(`${ws}/inboxes`, { name: "Toko Cloud", provider: "whatsapp_cloud", config: cloudConfig() }, token);
  expect(inbox.status).toBe(201);
  expect((await parley.api.post(`${ws}/labels`, { name: "pelanggan" }, token)).status).toBe(201);
  const contacts = [
    { phone: "+6281311110001", name: "Dewi Lestari", labels: ["pelanggan"] },
    { phone: "+6281311110002", labels: ["pelanggan"] },
    { phone: "+6281311110003", name: "Sari Wulan", labels: ["pelanggan"] },
  ];
  const ids: string[] = [];
  for (const contact of contacts) {
    const created = await parley.api.post<{ id: string }>(`${ws}/contacts`, contact, token);
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  expect((await parley.api.patch(`${ws}/contacts/${ids[2]}`, { opted_out: true }, token)).status).toBe(200);

  await page.goto(`${parley.url}/w/${workspaceId}/campaigns/new`);
  await page.getByTestId("campaign-name-input").fill("Year-end sale");
  await page.getByRole("radio", { name: /Toko Cloud/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  const select = page.getByTestId("template-select");
  expect(await select.locator("option").allTextContents()).toEqual(["Choose an approved template", "year_end_sale (id) · marketing"]);
  await select.selectOption({ label: "year_end_sale (id) · marketing" });
  await page.getByLabel("Variable 1 comes from").selectOption({ label: "Contact's first name" });
  await page.getByLabel("Variable 1: if the contact has none").fill("Kak");
  await page.getByLabel("Variable 2 comes from").selectOption({ label: "Text" });
  await page.getByLabel("Variable 2: text").fill("AKHIRTAHUN");
  expect(await page.getByTestId("template-body").textContent()).toBe("Halo [First name], pakai kode AKHIRTAHUN untuk diskon 20%!");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "pelanggan" }).click();
  await eventually(() => page.getByTestId("audience-count").textContent()).toContain("2 will receive it, 1 skipped: 1 opted out");
  await page.getByRole("button", { name: "Next" }).click();
  // The preview for the contact without a name: the fallback fills {{1}}.
  await page.getByLabel("Preview for a contact").fill("6281311110002");
  await page.getByRole("option", { name: /6281311110002/ }).click();
  await eventually(() => page.getByTestId("preview-bubble").textContent()).toContain("Halo Kak, pakai kode AKHIRTAHUN");
  await screenshot(page, "campaign-cloud-review");
  await page.getByTestId("campaign-start").click();

  await page.getByTestId("campaign-view").waitFor();
  await eventually(() => page.getByTestId("campaign-status").textContent(), 30_000).toBe("Completed");
  const templates = fake
    .sent()
    .map((sent) => sent.body as { to?: string; template?: { name: string; components?: Array<{ parameters?: Array<{ text?: string }> }> } })
    .filter((body) => body.template?.name === "year_end_sale")
    .map((body) => ({
      to: body.to,
      parameters: body.template?.components?.flatMap((component) => component.parameters?.map((parameter) => parameter.text) ?? []),
    }))
    .sort((a, b) => String(a.to).localeCompare(String(b.to)));
  expect(templates).toEqual([
    { to: "6281311110001", parameters: ["Dewi", "AKHIRTAHUN"] },
    { to: "6281311110002", parameters: ["Kak", "AKHIRTAHUN"] },
  ]);
  expect(await page.getByTestId("count-skipped").getByTestId("count-value").textContent()).toBe("1");
  await screenshot(page, "campaign-cloud-completed");

  // A campaign id that does not exist (a stale link) says so rather than load forever.
  await page.goto(`${parley.url}/w/${workspaceId}/campaigns/0190a000-0000-7000-8000-000000000000`);
  await page.getByTestId("campaign-load-error").waitFor();
  await page.getByRole("link", { name: "See all campaigns" }).click();
  await page.getByTestId("campaign-list").getByText("Year-end sale").waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

it("says while Meta's throughput limit holds a campaign back, until when, then sends on to the end", async () => {
  const shop = await cloudShop("throttled", 4, "+6281322");
  const id = await shop.draft("Flash sale");
  // Meta refuses the first send with 130429 and asks for 6 s.
  fake.failNextSends(1, 130429, { retryAfterSeconds: 6 });
  const requestsBefore = fake.requests.length;
  await shop.start(id);

  const waiting = shop.page.getByTestId("campaign-waiting");
  await eventually(() => waiting.textContent(), 10_000).toMatch(/^\s*Waiting: Meta's throughput limit — resumes at \d{2}:\d{2}:\d{2}\s*$/);
  // The time said is when the back-off ends (to the second, in the browser's time zone).
  const said = (await waiting.textContent())!.trim().slice(-8);
  const [hours, minutes, seconds] = said.split(":").map(Number);
  // Measured from when Meta refused, not from the click: a slow machine may take seconds to get there.
  const refused = fake.requests.slice(requestsBefore).find((request) => request.path.endsWith("/messages") && request.status >= 400);
  expect(refused).toBeDefined();
  const refusedAt = refused!.arrivedAtMs;
  const resumes = new Date(refusedAt);
  resumes.setHours(hours!, minutes!, seconds!);
  expect(Math.abs(resumes.getTime() - (refusedAt + 6_000))).toBeLessThan(2_000);
  expect(await shop.page.getByTestId("campaign-status").textContent()).toBe("Running");
  await screenshot(shop.page, "campaign-cloud-throughput-waiting");

  await eventually(() => shop.page.getByTestId("campaign-status").textContent(), 30_000).toBe("Completed");
  expect(await waiting.count()).toBe(0);
  expect(await shop.page.getByTestId("count-sent").getByTestId("count-value").textContent()).toBe("4");
  expect(shop.errors).toEqual([]);
  await shop.context.close();
});

it("says a campaign whose audience is over its daily cap waits for the cap, after sending up to it", async () => {
  const shop = await cloudShop("capped", 3, "+6281333");
  const id = await shop.draft("Daily capped", { daily_cap: 2 });
  await shop.start(id);

  const waiting = shop.page.getByTestId("campaign-waiting");
  await eventually(() => waiting.textContent(), 15_000).toContain("Waiting: the daily cap of contacts — resumes at");
  expect(await shop.page.getByTestId("count-sent").getByTestId("count-value").textContent()).toBe("2");
  expect((await shop.page.getByTestId("campaign-progress-text").textContent())?.trim()).toBe("2 of 3 done · 1 waiting");
  expect(await shop.page.getByTestId("campaign-status").textContent()).toBe("Running");
  const rowStatuses = () => shop.page.getByTestId("recipient-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")).sort());
  await eventually(rowStatuses).toEqual(["pending", "sent", "sent"]);
  await screenshot(shop.page, "campaign-cloud-daily-cap-waiting");

  // In Indonesian.
  expect((await parley.api.patch("/api/v1/auth/me", { locale: "id" }, shop.owner.token)).status).toBe(200);
  await shop.page.reload();
  await eventually(() => waiting.textContent()).toContain("Tertahan: batas kontak harian — lanjut pada");
  await screenshot(shop.page, "campaign-cloud-daily-cap-waiting-id");
  expect(shop.errors).toEqual([]);
  await shop.context.close();
});

it("keeps a campaign left half-way through the wizard as a draft in the list, to continue or delete", async () => {
  const shop = await cloudShop("left", 1, "+6281344");
  const { page } = shop;
  await page.goto(`${parley.url}/w/${shop.owner.workspaceId}/campaigns/new`);
  await page.getByTestId("campaign-name-input").fill("Half-way");
  await page.getByRole("radio", { name: /Toko Cloud/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByTestId("template-select").selectOption({ label: "year_end_sale (id) · marketing" });
  await page.getByLabel("Variable 1 comes from").selectOption({ label: "Contact's first name" });
  await page.getByLabel("Variable 1: if the contact has none").fill("Kak");
  await page.getByLabel("Variable 2 comes from").selectOption({ label: "Text" });
  await page.getByLabel("Variable 2: text").fill("HEMAT");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "promo" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByTestId("review-step").waitFor();
  // Saved as a draft on the way to the review: the URL is the draft's now, the wizard still at
  // its step, and a reload continues that draft instead of starting a second one.
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\/edit$/);
  expect(await page.getByTestId("review-step").isVisible()).toBe(true);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("New campaign");
  await screenshot(page, "campaign-draft-adopted");
  await page.reload();
  expect(await page.getByTestId("campaign-name-input").inputValue()).toBe("Half-way");
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Edit campaign");
  for (let step = 0; step < 3; step++) await page.getByRole("button", { name: "Next" }).click();
  await page.getByTestId("review-step").waitFor();
  // A change on the review step, then away before anything else: the draft keeps it.
  await page.getByText("Pacing").click();
  await page.getByTestId("pacing-daily-cap").fill("40");
  await page.getByRole("link", { name: "Back to the campaigns" }).click();

  const row = page.getByTestId("campaign-list").getByRole("button", { name: /Half-way/ });
  await eventually(() => row.getByTestId("campaign-status").textContent()).toBe("Draft");
  expect(await row.count()).toBe(1);
  await row.click();
  await page.getByTestId("campaign-view").waitFor();
  await page.getByRole("button", { name: "Edit" }).click();
  expect(await page.getByTestId("campaign-name-input").inputValue()).toBe("Half-way");
  for (let step = 0; step < 3; step++) await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("Pacing").click();
  expect(await page.getByTestId("pacing-daily-cap").inputValue()).toBe("40");
  await screenshot(page, "campaign-draft-continued");
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: "Delete draft" }).click();
  await page.getByTestId("confirm-dialog").getByRole("button", { name: "Delete draft" }).click();
  await page.getByTestId("campaigns-empty").waitFor();
  expect(shop.errors).toEqual([]);
  await shop.context.close();
});
