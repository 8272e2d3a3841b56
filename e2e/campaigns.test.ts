/**
 * A campaign in a real browser on a sandbox (WhatsApp Web) inbox, as a shop owner runs one: three
 * customers have written before and carry a label; the owner creates the campaign through the
 * wizard (message with a variable and two variations, audience by label with its live count),
 * previews it for each customer, starts it, watches progress, pauses and resumes it; each sandbox
 * phone receives exactly the text previewed for it, a customer answers STOP, and the campaign
 * shows them opted out.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestParley, type TestParley, workspacePath } from "../packages/server/test/parley.ts";
import { eventually, launchBrowser, requireWebBuild, screenshot, signedInSession, signUp, watchErrors } from "./support.ts";

let parley: TestParley;
let browser: Browser;

const customers = [
  { name: "Dewi Lestari", phone: "+6281311110001" },
  { name: "Rudi Hartono", phone: "+6281311110002" },
  { name: "Sari Wulan", phone: "+6281311110003" },
];

beforeAll(async () => {
  requireWebBuild();
  // Gaps of 3–4 s instead of WhatsApp Web's 30–60 s, so pausing between sends can be seen.
  [parley, browser] = await Promise.all([startTestParley("pglite", { CAMPAIGN_WEB_GAP_MS: "3000-4000" }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

/** The id of the contact with `phone`, or null until the inbound message has created it. */
async function contactIdOf(ws: string, token: string, phone: string): Promise<string | null> {
  const found = await parley.api.get<{ data: Array<{ id: string }> }>(`${ws}/contacts?q=${encodeURIComponent(phone)}`, token);
  return found.body.data?.[0]?.id ?? null;
}

const counter = (page: Page, key: string) => page.getByTestId(`count-${key}`).getByTestId("count-value").textContent();

it("creates a campaign in the wizard on a sandbox inbox, pauses and resumes it, the phone receives it, STOP opts the customer out", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signUp(page, parley.url, { name: "Sari Owner", email: `campaign-${Date.now()}@example.com`, workspace: "Toko Sari" });
  const { token, workspaceId } = await signedInSession(page);
  const ws = workspacePath(workspaceId);

  // A linked sandbox inbox; three customers write to it and are labelled "pelanggan".
  const inbox = await parley.api.post<{ id: string }>(
    `${ws}/inboxes`,
    { name: "Toko WhatsApp", provider: "whatsapp_web", config: { engine: "sandbox" } },
    token,
  );
  expect(inbox.status).toBe(201);
  const inboxId = inbox.body.id;
  // The sandbox phone can scan once the inbox shows its QR.
  await eventually(async () => (await parley.api.get<{ status: string }>(`${ws}/inboxes/${inboxId}`, token)).body.status).toBe("qr_ready");
  expect((await parley.api.post(`/api/v1/sandbox/${inboxId}/scan`, {}, token)).status).toBe(204);
  await eventually(async () => (await parley.api.get<{ status: string }>(`${ws}/inboxes/${inboxId}`, token)).body.status).toBe("ready");
  expect((await parley.api.post(`${ws}/labels`, { name: "pelanggan" }, token)).status).toBe(201);
  for (const customer of customers) {
    expect(
      (await parley.api.post(`/api/v1/sandbox/${inboxId}/messages`, { from: customer.phone, name: customer.name, body: "Halo, ada promo?" }, token)).status,
    ).toBe(201);
  }
  for (const customer of customers) {
    await eventually(() => contactIdOf(ws, token, customer.phone)).toBeTruthy();
    const contactId = await contactIdOf(ws, token, customer.phone);
    expect((await parley.api.request("PUT", `${ws}/contacts/${contactId}/labels`, { token, json: { labels: ["pelanggan"] } })).status).toBe(200);
  }

  // The wizard, from the menu: inbox → message → audience (live count) → start now.
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("menuitem", { name: "Campaigns" }).click();
  await page.getByTestId("campaigns-empty").waitFor();
  await page.getByRole("button", { name: "New campaign" }).click();
  await page.getByTestId("campaign-name-input").fill("Promo akhir tahun");
  await page.getByRole("radio", { name: /Toko WhatsApp/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByTestId("ban-warning").waitFor();
  await page.getByTestId("campaign-body").fill("Halo ");
  await page.getByRole("button", { name: "+ First name" }).click();
  await page.getByTestId("campaign-body").press("End");
  await page.getByTestId("campaign-body").pressSequentially(", promo akhir tahun!");
  // Two other wordings: each customer gets one of the three, picked from the campaign and contact ids.
  const wordings = ["Halo {name}, promo akhir tahun!", "Hai {name}, ada promo akhir tahun!", "{name}, promo akhir tahun sudah mulai!"];
  for (const [index, wording] of wordings.slice(1).entries()) {
    await page.getByRole("button", { name: "Add a variation" }).click();
    await page
      .getByTestId(`variation-${index + 1}`)
      .locator("textarea")
      .fill(wording.replace("{name}", "{{first_name}}"));
  }
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "pelanggan" }).click();
  await eventually(() => page.getByTestId("audience-count").textContent()).toContain("3 will receive it");
  await screenshot(page, "campaign-audience");
  await page.getByRole("button", { name: "Next" }).click();
  // The preview for each customer: the wording they will receive (the wizard saved the campaign as a draft to know it).
  const previewed = new Map<string, string>();
  for (const customer of customers) {
    const firstName = customer.name.split(" ")[0]!;
    await page.getByLabel("Preview for a contact").fill(firstName);
    await page.getByRole("option", { name: new RegExp(customer.name) }).click();
    const possible = wordings.map((wording) => wording.replace("{name}", firstName));
    await eventually(async () => possible.includes((await page.getByTestId("preview-bubble").textContent()) ?? "")).toBe(true);
    previewed.set(customer.phone, (await page.getByTestId("preview-bubble").textContent())!);
  }
  expect(await page.getByTestId("preview-variation-note").count()).toBe(0);
  await page.getByTestId("campaign-start").click();

  // The running view: progress grows live; pause holds it, resume finishes it.
  await page.getByTestId("campaign-view").waitFor();
  await eventually(() => counter(page, "sent"), 30_000).toBe("1");
  await page.getByRole("button", { name: "Pause" }).click();
  await eventually(() => page.getByTestId("campaign-status").textContent(), 5_000).toBe("Paused");
  const sentWhenPaused = Number(await counter(page, "sent"));
  expect(sentWhenPaused).toBeLessThan(3);
  await screenshot(page, "campaign-paused");
  await page.getByRole("button", { name: "Resume" }).click();
  await eventually(() => page.getByTestId("campaign-status").textContent(), 5_000).toBe("Running");
  await eventually(() => page.getByTestId("campaign-status").textContent(), 60_000).toBe("Completed");
  expect((await page.getByTestId("campaign-progress-text").textContent())?.trim()).toBe("3 of 3 done · 0 waiting");
  // The recipients table follows the campaign to its end without a reload: nobody left "Pending",
  // each row delivered as the phones acknowledged it (the sandbox acks every send).
  const rowStatuses = () => page.getByTestId("recipient-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")));
  await eventually(rowStatuses, 10_000).toEqual(["delivered", "delivered", "delivered"]);
  expect(await page.getByTestId("recipient-row").filter({ hasText: "Pending" }).count()).toBe(0);
  expect(await page.getByTestId("recipient-row").filter({ hasText: "Delivered" }).count()).toBe(3);
  await screenshot(page, "campaign-completed");

  // Each phone has the text previewed for it, word for word; Dewi answers STOP.
  const phonePage = await context.newPage();
  const phoneErrors = watchErrors(phonePage);
  await phonePage.goto(`${parley.url}/sandbox/${inboxId}`);
  const phone = phonePage.getByTestId("sandbox-phone");
  for (const customer of [...customers].reverse()) {
    await phone.getByLabel("Customer name").fill(customer.name);
    await phone.getByLabel("Customer number").fill(customer.phone);
    await phone.getByRole("button", { name: customer.name }).click();
    const received = phone.getByTestId("phone-thread").locator('[data-from-business="true"]');
    await eventually(() => received.allTextContents()).toEqual([previewed.get(customer.phone)]);
  }
  await phone.getByLabel("Message as the customer").fill("STOP");
  await phone.getByRole("button", { name: "Send" }).click();

  // The campaign counts her opted out live (her STOP is also a reply), and its recipients table says so.
  await eventually(() => counter(page, "opted_out")).toBe("1");
  expect(await counter(page, "replied")).toBe("1");
  await eventually(() => page.getByTestId("recipient-row").filter({ hasText: "Dewi Lestari" }).textContent()).toContain("opted out");
  await screenshot(page, "campaign-opted-out");

  // Every recipient as CSV.
  const download = page.waitForEvent("download");
  await page.getByTestId("export-recipients").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("Promo-akhir-tahun-recipients.csv");
  const csv = readFileSync((await file.path())!, "utf8");
  for (const customer of customers) expect(csv).toContain(customer.phone);
  expect(errors).toEqual([]);
  expect(phoneErrors).toEqual([]);
  await context.close();
});
