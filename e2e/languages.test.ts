/**
 * Two languages in a real browser (issue 9, part 7): an agent switches the inbox to Indonesian
 * from the user menu, and no English is left on the inbox, the settings or the website widget; the
 * choice survives a reload (it is saved on the user); switching back brings English back.
 */
import type { Browser, Page } from "playwright-core";
import { expect, it } from "vitest";
import type { TestParley } from "../packages/server/test/parley.ts";
import { connection, conversationRow, eventually, screenshot, signUp, visibleWords, watchErrors, wordsIn, useParleyAndChromium } from "./support.ts";

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

/** English words that must not be on an Indonesian screen (whole words, as written in the English UI). */
const englishWords = [
  "Send",
  "Settings",
  "Search",
  "Type a message",
  "Conversations",
  "Conversation",
  "Members",
  "Inbox",
  "Inboxes",
  "Export",
  "Details",
  "Assignee",
  "Unassigned",
  "Resolve",
  "Resolved",
  "Pending",
  "Loading",
  "Log out",
  "Contact info",
  "Reply",
  "Yesterday",
  "Today",
  "Open chat",
  "Start chat",
  "Write a message",
];

/** The English words found in `text`. */
function english(text: string): string[] {
  return wordsIn(text, englishWords);
}

async function chooseLanguage(page: Page, menuLabel: string, language: string): Promise<void> {
  await page.getByRole("button", { name: menuLabel, exact: true }).click();
  await page.getByRole("menuitemradio", { name: language }).click();
}

it("switches the inbox, the settings and the widget to Indonesian with no English left, and back", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  const agent = await context.newPage();
  const errors = watchErrors(agent);
  await signUp(agent, parley.url, { name: "Budi Agen", email: `budi-${Date.now()}@example.com`, workspace: "Toko Budi" });
  await agent.getByText("Welcome to Parley").or(agent.getByText("No conversations yet")).first().waitFor();

  // Switch to Indonesian from the user menu: the page changes at once, <html lang> follows.
  await chooseLanguage(agent, "Menu", "Bahasa Indonesia");
  await agent.getByRole("textbox", { name: "Cari kontak dan pesan" }).or(agent.getByText("Selamat datang di Parley")).first().waitFor();
  expect(await agent.evaluate(() => document.documentElement.lang)).toBe("id");

  // Settings in Indonesian; create a website widget inbox that speaks Indonesian.
  await agent.getByRole("button", { name: "Menu", exact: true }).click();
  await agent.getByRole("menuitem", { name: "Pengaturan" }).click();
  await agent.getByRole("radio", { name: /Widget situs/ }).check();
  await agent.getByLabel("Nama kotak masuk").fill("Situs Toko");
  await agent.getByLabel("Bahasa widget").selectOption("auto");
  await agent.getByRole("button", { name: "Buat kotak masuk widget" }).click();
  const snippet = (await agent.getByTestId("new-inbox-snippet").textContent()) ?? "";
  const widgetKey = /data-widget-key="([^"]+)"/.exec(snippet)?.[1];
  expect(widgetKey).toBeTruthy();
  expect(english(await visibleWords(agent))).toEqual([]);
  for (const section of ["Anggota", "Ekspor"]) {
    await agent.getByRole("link", { name: section, exact: true }).click();
    await agent.getByRole("heading", { name: section === "Anggota" ? "Anggota" : "Ekspor percakapan", exact: true }).waitFor();
    expect(english(await visibleWords(agent)), section).toEqual([]);
  }
  await screenshot(agent, "settings-id");

  // A visitor with an Indonesian browser writes through the widget, which speaks Indonesian too.
  const visitorContext = await browser.newContext({ viewport: { width: 1000, height: 760 }, locale: "id-ID" });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${parley.url}/widget-demo?widget_key=${encodeURIComponent(widgetKey!)}`);
  await visitor.waitForFunction(() => typeof (window as unknown as { Parley?: { open(): void } }).Parley?.open === "function");
  await visitor.evaluate(() => (window as unknown as { Parley: { open(): void } }).Parley.open());
  await visitor.getByLabel("Nama (opsional)").fill("Sari Pelanggan");
  await visitor.getByRole("button", { name: "Mulai chat" }).click();
  const visitorComposer = visitor.getByPlaceholder("Ketik pesan…");
  await visitorComposer.fill("Kak, sofa biru masih ada?");
  await visitorComposer.press("Enter");
  const widgetWords = await visitor.evaluate(() => {
    const root = document.querySelector("parley-widget")!.shadowRoot!;
    const labels = [...root.querySelectorAll("[aria-label],[placeholder],[title]")].flatMap((element) =>
      ["aria-label", "placeholder", "title"].map((name) => element.getAttribute(name) ?? ""),
    );
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what is rendered (the closed parts left out)
    return `${(root.querySelector(".pw") as HTMLElement).innerText}\n${labels.join("\n")}`;
  });
  expect(english(widgetWords)).toEqual([]);
  await screenshot(visitor, "widget-id");

  // The inbox with the conversation open: list, thread, composer and contact panel in Indonesian.
  await agent.getByRole("link", { name: "Kembali ke kotak masuk" }).click();
  await connection(agent).and(agent.locator('[data-connection="live"]')).waitFor();
  const row = conversationRow(agent, "Sari Pelanggan");
  await row.click();
  await agent.getByTestId("message-body").getByText("Kak, sofa biru masih ada?").waitFor();
  // The contact panel shows beside the thread (opened if the layout had it closed).
  if (!(await agent.getByTestId("contact-panel").isVisible())) await agent.getByRole("button", { name: "Info kontak", exact: true }).click();
  await agent.getByTestId("contact-panel").waitFor();
  const composer = agent.getByPlaceholder("Ketik pesan");
  await composer.fill("Masih ada, Kak!");
  await agent.getByRole("button", { name: "Kirim pesan" }).click();
  await agent.getByTestId("message-body").getByText("Masih ada, Kak!").waitFor();
  await eventually(async () => english(await visibleWords(agent))).toEqual([]);
  await screenshot(agent, "inbox-id");

  // Saved on the user: a reload (or another browser) opens in Indonesian.
  await agent.reload();
  await agent.getByPlaceholder("Ketik pesan").waitFor();
  expect(english(await visibleWords(agent))).toEqual([]);

  // And back to English.
  await chooseLanguage(agent, "Menu", "English");
  await agent.getByPlaceholder("Type a message").waitFor();
  expect(await agent.evaluate(() => document.documentElement.lang)).toBe("en");
  expect(await visibleWords(agent)).toContain("Conversation status");
  expect(errors).toEqual([]);
  await visitorContext.close();
  await context.close();
});

it("shows the sign-in page in the browser's language before anyone signs in, and switches it on the spot", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, locale: "id-ID" });
  const page = await context.newPage();
  await page.goto(`${parley.url}/`);
  await page.waitForURL(/\/login/);
  await page.getByRole("heading", { name: "Masuk ke Parley" }).waitFor();
  expect(english(await visibleWords(page))).toEqual([]);
  await page.getByTestId("auth-language").getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Log in to Parley" }).waitFor();
  await context.close();
});
