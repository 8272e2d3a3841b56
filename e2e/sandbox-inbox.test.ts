/**
 * A WhatsApp inbox on the sandbox engine in a real browser, as a newcomer without a spare phone
 * tries Parley: create it in Settings, link it from the sandbox phone page, write as a customer,
 * answer from the inbox, and watch the reply turn blue once the phone has read it; then two
 * customers write in a group, named in their colours, and the group's info lists its members.
 */
import type { Browser, Locator } from "playwright-core";
import { expect, it } from "vitest";
import type { TestParley } from "../packages/server/test/parley.ts";
import { bubble, connection, conversationRow, eventually, screenshot, signUp, watchErrors, useParleyAndChromium } from "./support.ts";

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

const tickOf = (message: Locator) => message.locator("[data-tick]").getAttribute("data-tick");

it("links a sandbox inbox from the sandbox phone, carries a customer's message in and the agent's reply out, with blue ticks", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const errors = watchErrors(page);

  await signUp(page, parley.url, { name: "Sari Owner", email: `sari-${Date.now()}@example.com`, workspace: "Toko Sari" });
  // A new workspace opens on its guided start; "Try the sandbox phone" preselects it in Settings.
  await page.getByTestId("guided-start").waitFor();
  await screenshot(page, "guided-start");
  await page.getByTestId("start-sandbox").click();
  await page.getByRole("heading", { name: "New inbox" }).waitFor();
  expect(await page.getByRole("radio", { name: /WhatsApp \(scan a QR\)/ }).isChecked()).toBe(true);
  expect(await page.getByRole("radio", { name: /Sandbox phone/ }).isChecked()).toBe(true);
  await page.getByLabel("Inbox name").fill("Toko WhatsApp");
  await page.getByRole("button", { name: "Create and show the QR" }).click();
  const link = page.getByTestId("new-whatsapp-inbox");
  await link.getByTestId("link-qr").waitFor();
  expect(await link.getByTestId("link-qr").getAttribute("src")).toMatch(/^data:image\/png;base64,/);
  await link.scrollIntoViewIfNeeded();
  await screenshot(page, "sandbox-inbox-qr");

  // The sandbox phone, in another tab, scans the QR: the settings page turns connected by itself.
  const phonePage = await context.newPage();
  const phoneErrors = watchErrors(phonePage);
  await phonePage.goto(`${parley.url}/sandbox/${await inboxIdOf(link)}`);
  await phonePage.getByTestId("phone-scan").click();
  await eventually(() => link.getByTestId("link-status").textContent()).toBe("Connected");
  await screenshot(page, "sandbox-inbox-connected");

  // A customer writes from the phone; the conversation appears in the inbox live.
  const phone = phonePage.getByTestId("sandbox-phone");
  await phone.getByLabel("Customer name").fill("Dewi");
  await phone.getByLabel("Message as the customer").fill("Halo kak, ready stok?");
  await phone.getByRole("button", { name: "Send" }).click();
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await connection(page).and(page.locator('[data-connection="live"]')).waitFor();
  await conversationRow(page, "Dewi").click();
  await bubble(page, "Halo kak, ready stok?").waitFor();

  // The agent replies; the phone shows it, reads it, and the inbox ticks turn blue.
  const composer = page.getByTestId("composer");
  await composer.fill("Ready kak, mau berapa?");
  await composer.press("Enter");
  await phone.getByTestId("phone-thread").getByText("Ready kak, mau berapa?").waitFor();
  await eventually(() => tickOf(bubble(page, "Ready kak, mau berapa?")), 20_000).toBe("double-blue");
  await screenshot(page, "sandbox-inbox-read");

  // Two customers write in a group: the thread names each in their colour, the info panel lists the members.
  await phone.getByLabel("Group").fill("Reseller Jakarta");
  await phone.getByLabel("Message as the customer").fill("Grup: stok ready semua?");
  await phone.getByRole("button", { name: "Send" }).click();
  await phone.getByTestId("phone-thread").getByText("Grup: stok ready semua?").waitFor();
  await phone.getByLabel("Customer name").fill("Rudi");
  await phone.getByLabel("Customer number").fill("+6281311112222");
  await phone.getByLabel("Message as the customer").fill("Saya mau 10 pcs");
  await phone.getByRole("button", { name: "Send" }).click();
  await conversationRow(page, "Reseller Jakarta").click();
  await bubble(page, "Saya mau 10 pcs").waitFor();
  const senderNames = page.getByTestId("sender-name");
  expect(await senderNames.allTextContents()).toEqual(["Dewi", "Rudi"]);
  const colors = await senderNames.evaluateAll((names) => names.map((name) => getComputedStyle(name).color));
  expect(new Set(colors).size).toBe(2);
  // The info panel stays open from the private conversation at this width.
  const infoToggle = page.getByRole("button", { name: "Contact info", exact: true });
  if ((await infoToggle.getAttribute("aria-pressed")) !== "true") await infoToggle.click();
  const members = page.getByTestId("group-participants");
  await eventually(() => members.getByTestId("participant-name").allTextContents()).toEqual(["This inbox", "Dewi", "Rudi"]);
  expect(await members.getByTestId("participants-count").textContent()).toBe("3 participants");
  expect(await members.getByTestId("participant").first().getByTestId("admin-badge").count()).toBe(1);
  await screenshot(page, "sandbox-group-participants");
  await screenshot(phonePage, "sandbox-phone");
  expect(errors).toEqual([]);
  expect(phoneErrors).toEqual([]);
  await context.close();
});

/** The new inbox's id, from its "Open the sandbox phone" link. */
async function inboxIdOf(link: Locator): Promise<string> {
  const href = (await link.getByRole("link", { name: "Open the sandbox phone" }).getAttribute("href")) ?? "";
  return href.split("/").pop() ?? "";
}
