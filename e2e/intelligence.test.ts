/**
 * Conversation intelligence in a real browser (issue 9, part 8): a customer asks what a seeded
 * canned response answers; the agent sees it suggested in the contact panel with its source and
 * the engine, inserts it, edits and sends it; then types `/` to insert a canned response by
 * shortcode, the customer's name filled in.
 */
import type { Browser, Page } from "playwright-core";
import { expect, it } from "vitest";
import { type TestParley, workspacePath } from "../packages/server/test/parley.ts";
import { bubble, conversationRow, eventually, screenshot, signedInContext, watchErrors, useParleyAndChromium } from "./support.ts";

/** Words of these screens in English that an Indonesian agent must not see. */
const englishWords = [
  "Suggested replies",
  "Insert",
  "Canned response",
  "Answered by",
  "Waiting for",
  "Labels",
  "Knowledge base",
  "Engine",
  "Save",
  "Delete",
  "Shortcode",
  "Write an article",
  "Search articles",
];
const englishOf = (text: string) => englishWords.filter((words) => text.includes(words));
/** What the page shows (hidden elements left out, the point here). */
// biome-ignore lint/performance/useDomNodeTextContent: innerText is the rendered text, which is what an agent reads
const shownText = (page: Page) => page.locator("body").innerText();

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

it("suggests a seeded canned response for the customer's question, inserted, edited and sent; / inserts one by shortcode", async () => {
  const { api } = parley;
  const owner = await api.signup("intelligence");
  const ws = workspacePath(owner.workspaceId);
  const shipping = "Halo kak {{contact.name}}, ongkir ke Jakarta Rp10.000 dan sampai 2-3 hari kerja.";
  expect((await api.post(`${ws}/canned-responses`, { shortcode: "ongkir", content: shipping }, owner.token)).status).toBe(201);
  expect(
    (
      await api.post(
        `${ws}/canned-responses`,
        { shortcode: "rekening", content: "Transfer ke BCA 1234567890 a.n. Toko Sari ya kak {{contact.name}}." },
        owner.token,
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await api.post(
        `${ws}/articles`,
        { title: "Jam buka toko", body: "Toko buka Senin sampai Sabtu jam 09.00-17.00. Minggu tutup.", language: "id" },
        owner.token,
      )
    ).status,
  ).toBe(201);
  const inbox = await api.createWidgetInbox(owner.workspaceId, owner.token);
  const visitor = await api.startVisitor(inbox.widget_key, { name: "Sari" });
  const asked = await api.post(
    `/api/v1/widget/${inbox.widget_key}/messages`,
    { body: "Kak, berapa ongkir kirim ke Jakarta?", client_message_id: "ask-1" },
    visitor.session_token,
  );
  expect(asked.status).toBeLessThan(300);

  const context = await signedInContext(browser, owner.token, owner.workspaceId, { width: 1400, height: 900 });
  const agent = await context.newPage();
  const errors = watchErrors(agent);
  await agent.goto(`${parley.url}/w/${owner.workspaceId}`);
  await conversationRow(agent, "Sari").click();
  await bubble(agent, "Kak, berapa ongkir kirim ke Jakarta?").waitFor();

  // The contact panel (open on a wide screen) suggests the canned response, says where it came from and which engine answered.
  const filled = "Halo kak Sari, ongkir ke Jakarta Rp10.000 dan sampai 2-3 hari kerja.";
  const suggestion = agent.getByTestId("suggestion").filter({ hasText: filled });
  await suggestion.waitFor();
  expect(await suggestion.getByTestId("suggestion-source").textContent()).toBe("Canned response");
  expect(await agent.getByTestId("suggestion-engine").textContent()).toBe("Answered by the offline engine");
  await eventually(() => agent.getByTestId("waiting-since").textContent()).toMatch(/^Waiting for /);
  await screenshot(agent, "intelligence-suggestions");

  // Insert puts it in the message box, not in the thread; the agent edits it and sends it.
  await suggestion.getByTestId("insert-suggestion").click();
  const composer = agent.getByTestId("composer");
  await eventually(() => composer.inputValue()).toBe(filled);
  expect(await bubble(agent, filled).count()).toBe(0);
  await composer.press("End");
  await composer.pressSequentially(" Mau dikirim hari ini?");
  await composer.press("Enter");
  const edited = `${filled} Mau dikirim hari ini?`;
  await eventually(() => bubble(agent, edited).getAttribute("data-status")).toMatch(/sent|delivered|read/);
  await eventually(async () => {
    const thread = await api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    return (thread.body.data as Array<{ body: string }>).map((message) => message.body);
  }).toContain(edited);

  // `/` offers the canned responses by shortcode; arrows and Enter insert one with the name filled.
  await composer.pressSequentially("/");
  const picker = agent.getByTestId("canned-picker");
  await picker.waitFor();
  expect(await picker.getByTestId("canned-option").count()).toBe(2);
  await composer.pressSequentially("re");
  await eventually(() => picker.getByTestId("canned-option").allTextContents()).toEqual([expect.stringContaining("/rekening")]);
  await composer.press("Enter");
  const transfer = "Transfer ke BCA 1234567890 a.n. Toko Sari ya kak Sari.";
  await eventually(() => composer.inputValue()).toBe(transfer);
  await composer.press("Enter");
  await eventually(() => bubble(agent, transfer).getAttribute("data-status")).toMatch(/sent|delivered|read/);
  await screenshot(agent, "intelligence-canned-sent");

  // A new question from the customer refreshes the suggestions live: now the article answers.
  await api.post(
    `/api/v1/widget/${inbox.widget_key}/messages`,
    { body: "Oh iya, toko buka jam berapa ya?", client_message_id: "ask-2" },
    visitor.session_token,
  );
  const hours = agent.getByTestId("suggestion").filter({ hasText: "Toko buka Senin sampai Sabtu" });
  await hours.waitFor();
  expect(await hours.getByTestId("suggestion-source").textContent()).toBe("Article");

  // In Indonesian, the panel speaks Indonesian.
  expect((await api.patch("/api/v1/auth/me", { locale: "id" }, owner.token)).status).toBe(200);
  await agent.reload();
  await agent.getByText("Saran balasan", { exact: true }).waitFor();
  await eventually(() => agent.getByTestId("suggestion-engine").textContent()).toBe("Dijawab oleh mesin offline");
  await screenshot(agent, "intelligence-indonesian");
  expect(englishOf(await shownText(agent))).toEqual([]);
  for (const page of ["canned-responses", "articles", "labels", "ai"]) {
    await agent.goto(`${parley.url}/w/${owner.workspaceId}/settings/${page}`);
    await agent.getByRole("heading", { level: 2 }).waitFor();
    expect(englishOf(await shownText(agent)), page).toEqual([]);
  }
  expect(errors).toEqual([]);
});

it("keeps canned responses and labels in Settings, shows a bad shortcode's error, and filters the inbox by a label set in the contact panel", async () => {
  const { api } = parley;
  const owner = await api.signup("knowledge");
  const inbox = await api.createWidgetInbox(owner.workspaceId, owner.token);
  for (const name of ["Dewi", "Rudi"]) {
    const visitor = await api.startVisitor(inbox.widget_key, { name });
    await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `Halo, saya ${name}`, client_message_id: `hi-${name}` }, visitor.session_token);
  }
  const context = await signedInContext(browser, owner.token, owner.workspaceId, { width: 1400, height: 900 });
  const agent = await context.newPage();
  const errors = watchErrors(agent);

  // Settings → Canned responses: the server's shortcode rule is shown beside the field, then the fixed one is listed.
  await agent.goto(`${parley.url}/w/${owner.workspaceId}/settings/canned-responses`);
  await agent.getByLabel("Shortcode").fill("jam buka!");
  await agent.getByLabel("Reply").fill("Kami buka jam 9 sampai 5, kak {{contact.name}}.");
  await agent.getByRole("button", { name: "Add canned response" }).click();
  await eventually(() => agent.getByTestId("shortcode-hint").textContent()).toMatch(/shortcode is 1–32/i);
  await agent.getByLabel("Shortcode").fill("jam-buka");
  await agent.getByRole("button", { name: "Add canned response" }).click();
  await eventually(() => agent.getByTestId("canned-item").allTextContents()).toEqual([expect.stringContaining("/jam-buka")]);

  // Settings → Labels: a VIP label.
  await agent.getByRole("link", { name: "Labels" }).click();
  await agent.getByLabel("Name").fill("VIP");
  await agent.getByRole("button", { name: "Add label" }).click();
  await eventually(() => agent.getByTestId("label-item").allTextContents()).toEqual([expect.stringContaining("VIP")]);
  await screenshot(agent, "intelligence-labels-settings");

  // In the inbox, Dewi's conversation gets the label from the contact panel; the list filtered by it shows only her.
  await agent.getByRole("link", { name: "Back to the inbox" }).click();
  await conversationRow(agent, "Dewi").click();
  await agent.getByTestId("add-label").selectOption("VIP");
  await eventually(() => agent.getByTestId("conversation-label").allTextContents()).toEqual(["VIP"]);
  await agent.getByTestId("label-filter").selectOption("VIP");
  await eventually(() => agent.getByTestId("conversation-title").allTextContents()).toEqual(["Dewi"]);
  await agent.getByTestId("label-filter").selectOption("");
  await eventually(async () => (await agent.getByTestId("conversation-title").allTextContents()).sort()).toEqual(["Dewi", "Rudi"]);
  expect(errors).toEqual([]);
});
