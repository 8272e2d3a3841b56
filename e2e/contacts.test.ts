/**
 * The Contacts page in Chromium: a marketer imports a CSV of customers with messy Indonesian
 * numbers through the Import dialog and reads the report, filters by the import's label, opts a
 * customer out in the side panel, exports the list and adds a customer by hand; and the same page,
 * Settings → Workspace and the campaigns pages read Indonesian for an agent who speaks it.
 */
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { expect, it } from "vitest";
import type { TestParley } from "../packages/server/test/parley.ts";
import { eventually, screenshot, signedInContext, visibleWords, watchErrors, wordsIn, useParleyAndChromium } from "./support.ts";

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

const csv = [
  "phone,name,labels,city",
  "0812 3456 7890,Dewi Lestari,VIP,Bandung",
  "+62 813-1111-2222,Eka Putra,,Solo",
  "62 815.3333.4444,Fajar",
  "0812-3456-7890,Dewi again",
  "12345,Nobody",
].join("\n");

it("imports a CSV through the Contacts page, shows the report, filters, opts a customer out, exports and adds one by hand", async () => {
  const owner = await parley.api.signup("contacts-e2e");
  const page = await (await signedInContext(browser, owner.token, owner.workspaceId)).newPage();
  const errors = watchErrors(page);
  await page.goto(`${parley.url}/w/${owner.workspaceId}`);
  await page.locator('[data-connection="live"]').waitFor();

  // The menu leads to Contacts.
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByTestId("nav-contacts").click();
  await page.waitForURL(/\/contacts$/);
  await page.getByText("No contacts match.").waitFor();

  await page.getByTestId("contacts-import").click();
  const dialog = page.getByTestId("import-dialog");
  await dialog.getByLabel("CSV file").setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await dialog.getByLabel("Label every imported contact (optional)").fill("Expo November");
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByTestId("import-report").waitFor();
  expect(await dialog.getByTestId("import-created").textContent()).toBe("3");
  expect(await dialog.getByTestId("import-updated").textContent()).toBe("0");
  expect(await dialog.getByTestId("import-duplicates").textContent()).toBe("1");
  expect(await dialog.getByTestId("import-invalid").textContent()).toContain("Line 6:");
  await screenshot(page, "contacts-import-report");
  await dialog.getByRole("button", { name: "Done" }).click();

  // The list shows the imported contacts with their E.164 numbers; the import's label filters them.
  const rows = page.getByTestId("contact-row");
  await eventually(() => rows.count()).toBe(3);
  expect(await page.getByTestId("contact-list").textContent()).toContain("+6281234567890");
  await page.getByRole("group", { name: "Filter by label" }).getByRole("button", { name: "VIP" }).click();
  await eventually(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("Dewi Lestari");

  // Opting Dewi out in the side panel says when and how.
  await rows.first().click();
  const editor = page.getByTestId("contact-editor");
  await editor.getByLabel("Opted out of campaigns").check();
  await editor.getByRole("button", { name: "Save" }).click();
  await editor.getByTestId("contact-opt-out-detail").waitFor();
  expect(await editor.getByTestId("contact-opt-out-detail").textContent()).toContain("set by an agent");
  await screenshot(page, "contacts-opted-out");

  const download = page.waitForEvent("download");
  await page.getByTestId("contacts-export").click();
  const file = await (await download).path();
  const exported = await readFile(file, "utf8");
  expect(exported).toContain("+6281234567890,Dewi Lestari");
  expect(exported.split("\n").filter((line) => line.startsWith("+62"))).toHaveLength(1);

  // A customer added by hand, their number written the local way.
  await page.getByRole("button", { name: "New contact" }).click();
  await page.getByLabel("Phone", { exact: true }).last().fill("0819-1234-5678");
  await page.getByLabel("Name", { exact: true }).last().fill("Gita");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await eventually(() => page.getByTestId("contact-editor").getByLabel("Phone").inputValue()).toBe("+6281912345678");
  expect(errors).toEqual([]);

  // On a phone the header's actions still fit beside the title.
  const phone = await (await signedInContext(browser, owner.token, owner.workspaceId, { width: 390, height: 844 })).newPage();
  await phone.goto(`${parley.url}/w/${owner.workspaceId}/contacts`);
  await phone.getByTestId("contact-row").first().waitFor();
  const exportBox = await phone.getByTestId("contacts-export").boundingBox();
  expect(exportBox!.x + exportBox!.width).toBeLessThanOrEqual(390);
  await screenshot(phone, "contacts-mobile");
});

/** English words of the Contacts page and Settings → Workspace that must not be on their Indonesian screens. */
const englishWords = [
  "Contacts",
  "Contact",
  "New contact",
  "Import",
  "Export",
  "Search",
  "Everyone",
  "Subscribed",
  "Opted out",
  "Name",
  "Phone",
  "Labels",
  "Custom attributes",
  "Add attribute",
  "Save",
  "Saved",
  "Created",
  "Updated",
  "Duplicates",
  "Done",
  "Line",
  "Load more",
  "Workspace",
  "Default country",
  "Time zone",
  "keywords",
  "Settings",
];

/** English words of the campaigns list and wizard. */
const campaignWords = [
  "Campaigns",
  "Campaign",
  "New campaign",
  "No campaigns yet",
  "Inbox",
  "Message",
  "Audience",
  "Review",
  "Send from",
  "Next",
  "Cancel",
  "Back",
  "Choose",
];

it("shows the Contacts page, its import report, the opt-out, Settings → Workspace and Campaigns in Indonesian", async () => {
  const owner = await parley.api.signup("contacts-id");
  expect((await parley.api.patch("/api/v1/auth/me", { locale: "id" }, owner.token)).status).toBe(200);
  const page = await (await signedInContext(browser, owner.token, owner.workspaceId)).newPage();
  const errors = watchErrors(page);
  await page.goto(`${parley.url}/w/${owner.workspaceId}/contacts`);
  await page.getByText("Tidak ada kontak yang cocok.").waitFor();

  await page.getByTestId("contacts-import").click();
  const dialog = page.getByTestId("import-dialog");
  await dialog.getByLabel("Berkas CSV").setInputFiles({ name: "pelanggan.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await dialog.getByRole("button", { name: "Impor", exact: true }).click();
  await dialog.getByTestId("import-report").waitFor();
  expect(await dialog.getByTestId("import-invalid").textContent()).toBe("Baris 6: Nomor tidak valid: “12345”.");
  expect(await dialog.textContent()).toContain("1 baris tidak valid tidak diimpor");
  expect(wordsIn(await visibleWords(page), englishWords)).toEqual([]);
  await screenshot(page, "contacts-import-report-id");
  await dialog.getByRole("button", { name: "Selesai" }).click();

  await page.getByTestId("contact-row").filter({ hasText: "Dewi Lestari" }).click();
  const editor = page.getByTestId("contact-editor");
  await editor.getByLabel("Berhenti berlangganan kampanye").check();
  await editor.getByRole("button", { name: "Simpan" }).click();
  await eventually(() => editor.getByTestId("contact-opt-out-detail").textContent()).toContain("diatur oleh agen");
  await eventually(async () => wordsIn(await visibleWords(page), englishWords)).toEqual([]);
  await screenshot(page, "contacts-opted-out-id");

  await page.goto(`${parley.url}/w/${owner.workspaceId}/settings/workspace`);
  await page.getByRole("heading", { name: "Ruang kerja", exact: true }).waitFor();
  await page.getByLabel("Zona waktu").waitFor();
  expect(wordsIn(await visibleWords(page), englishWords)).toEqual([]);

  // Campaigns, reached from the menu: the empty list and the wizard's first step.
  await page.goto(`${parley.url}/w/${owner.workspaceId}`);
  await page.getByRole("button", { name: "Menu", exact: true }).click();
  await page.getByRole("menuitem", { name: "Kampanye" }).click();
  await page.getByRole("heading", { name: "Belum ada kampanye" }).waitFor();
  expect(wordsIn(await visibleWords(page), campaignWords)).toEqual([]);
  await page.getByRole("button", { name: "Kampanye baru" }).click();
  await page.getByLabel("Nama kampanye").fill("Promo Ramadan");
  expect(await page.getByTestId("step-problem").textContent()).toBe("Pilih kotak masuk pengirim.");
  expect(wordsIn(await visibleWords(page), campaignWords)).toEqual([]);
  await screenshot(page, "campaign-wizard-id");
  expect(errors).toEqual([]);
});

it("shows an agent the Contacts page with import but without the export, which is for owners and admins", async () => {
  const owner = await parley.api.signup("contacts-agent");
  const email = `agent-${Date.now()}@example.com`;
  await parley.api.post(`/api/v1/workspaces/${owner.workspaceId}/members`, { email, role: "agent", name: "Agus", password: "agent password" }, owner.token);
  const agent = (await parley.api.post("/api/v1/auth/login", { email, password: "agent password" })).body.token as string;
  const page = await (await signedInContext(browser, agent, owner.workspaceId)).newPage();
  const errors = watchErrors(page);
  await page.goto(`${parley.url}/w/${owner.workspaceId}/contacts`);
  await page.getByTestId("contacts-import").waitFor();
  expect(await page.getByTestId("contacts-export").count()).toBe(0);
  await screenshot(page, "contacts-agent");
  expect(errors).toEqual([]);
});
