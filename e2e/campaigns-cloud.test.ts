/**
 * A Cloud API campaign in a real browser against the fake Graph API: the wizard offers the inbox's
 * approved templates, maps {{1}} to the contact's first name (with a fallback for a contact
 * without a name) and {{2}} to literal text, counts the audience with the opted-out contact
 * skipped, and every other contact receives the template with their own parameters.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "../packages/server/src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { startTestParley, type TestParley, workspacePath } from "../packages/server/test/parley.ts";
import { eventually, launchBrowser, requireWebBuild, screenshot, signedInSession, signUp, watchErrors } from "./support.ts";

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

it("sends an approved template with its variables mapped per contact, skipping the opted-out", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signUp(page, parley.url, { name: "Budi Owner", email: `cloud-campaign-${Date.now()}@example.com`, workspace: "Toko Budi" });
  const { token, workspaceId } = await signedInSession(page);
  const ws = workspacePath(workspaceId);
  const inbox = await parley.api.post(
    `${ws}/inboxes`,
    {
      name: "Toko Cloud",
      provider: "whatsapp_cloud",
      config: {
        phone_number_id: fake.phoneNumberId,
        waba_id: fake.wabaId,
        access_token: fake.accessToken,
        app_secret: "s3cret",
        verify_token: "v3rify",
        graph_base_url: fake.url,
      },
    },
    token,
  );
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
