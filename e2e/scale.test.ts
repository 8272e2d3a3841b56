/**
 * Scale and looks: 5,000 conversations and a 10,000-message thread render only the rows in view,
 * and screenshots of the inbox, a thread with every tick state, and a WhatsApp group.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestParley, type TestParley } from "../packages/server/test/parley.ts";
import { longThreadBody, seedGroup, seedLongThread, seedManyConversations, seedTickGallery } from "./seed.ts";
import { bubble, conversationRow, eventually, launchBrowser, recordFigures, requireWebBuild, screenshot, signedInContext, watchErrors } from "./support.ts";

const manyConversations = 5000;
const longThread = 10_000;
let parley: TestParley;
let browser: Browser;
let page: Page;
let errors: string[];
let owner: { token: string; workspaceId: string };
let longThreadId: string;

beforeAll(async () => {
  requireWebBuild();
  [parley, browser] = await Promise.all([startTestParley(), launchBrowser()]);
  const { token, workspaceId, userId } = await parley.api.signup("scale");
  owner = { token, workspaceId };
  const inbox = await parley.api.createWidgetInbox(workspaceId, token);
  const target = { parley, workspaceId, userId, widgetInboxId: inbox.id };
  const now = Date.now();
  const seedStart = Date.now();
  await seedTickGallery(target, now - 60_000);
  await seedGroup(target, now - 120_000);
  longThreadId = await seedLongThread(target, "Olivia Archive", longThread, now - 180_000);
  await seedManyConversations(target, manyConversations, now - 10 * 60_000);
  recordFigures({ seed_ms: Date.now() - seedStart });
  const context = await signedInContext(browser, token, workspaceId);
  page = await context.newPage();
  errors = watchErrors(page);
  await page.goto(`${parley.url}/w/${workspaceId}`);
  await page.locator('[data-connection="live"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

const list = () => page.getByTestId("conversation-list");
const thread = () => page.getByTestId("thread");
const loadedCount = async (locator: ReturnType<typeof list>) => Number(await locator.getAttribute("data-loaded"));

it("scrolls 5,000 conversations rendering only the rows in view", async () => {
  await conversationRow(page, "Sofia Gallery").waitFor();
  await screenshot(page, "inbox-list");
  const startedAt = Date.now();
  // Page through the whole list by scrolling to its end until the server has no more.
  while ((await list().locator('[role="option"]').first().getAttribute("aria-setsize")) === "-1") {
    const before = await loadedCount(list());
    await list().evaluate((element) => (element.scrollTop = element.scrollHeight));
    await eventually(
      async () => (await loadedCount(list())) > before || (await list().locator('[role="option"]').first().getAttribute("aria-setsize")) !== "-1",
    ).toBe(true);
  }
  const total = manyConversations + 3;
  expect(await loadedCount(list())).toBe(total);
  await list().evaluate((element) => (element.scrollTop = element.scrollHeight));
  await eventually(() => list().locator('[role="option"]').last().getAttribute("aria-posinset")).toBe(String(total));
  const renderedAtEnd = await page.getByTestId("conversation-row").count();
  expect(renderedAtEnd).toBeGreaterThan(3);
  expect(renderedAtEnd).toBeLessThan(40);

  // Jump to the middle: the rows there are drawn, the rest are not.
  await list().evaluate((element) => (element.scrollTop = element.scrollHeight / 2));
  await eventually(async () => Number(await list().locator('[role="option"]').first().getAttribute("aria-posinset"))).toBeGreaterThan(2000);
  const renderedInMiddle = await page.getByTestId("conversation-row").count();
  expect(renderedInMiddle).toBeLessThan(40);
  recordFigures({ conversations_loaded: total, conversation_rows_rendered: renderedInMiddle, conversation_pages_ms: Date.now() - startedAt });
  await list().evaluate((element) => (element.scrollTop = 0));
});

it("opens a 10,000-message thread and pages back through it rendering only the rows in view", async () => {
  await conversationRow(page, "Olivia Archive").click();
  await bubble(page, longThreadBody(longThread - 1)).waitFor();
  expect(await loadedCount(thread())).toBe(50);
  const renderedAtOpen = await page.getByTestId("thread-row").count();
  expect(renderedAtOpen).toBeLessThan(60);

  // Long tasks (main-thread work over 50 ms) while paging back, for the report (not asserted).
  await page.evaluate(() => {
    const tasks: number[] = ((window as any).__longTasks = []);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: false });
  });
  const startedAt = Date.now();
  while (!(await page.getByText("This is the start of the conversation.").isVisible())) {
    const before = await loadedCount(thread());
    await thread().evaluate((element) => (element.scrollTop = 0));
    await eventually(async () => (await loadedCount(thread())) > before || (await page.getByText("This is the start of the conversation.").isVisible())).toBe(
      true,
    );
  }
  expect(await loadedCount(thread())).toBe(longThread);
  await bubble(page, longThreadBody(0)).waitFor();
  const renderedAtStart = await page.getByTestId("thread-row").count();
  expect(renderedAtStart).toBeLessThan(60);
  await screenshot(page, "long-thread-start");

  // Far from the bottom, a new message does not pull the reader down: a button offers to go.
  const newMessages = page.getByTestId("new-messages");
  await newMessages.waitFor();
  const sent = await parley.api.post(
    `/api/v1/workspaces/${owner.workspaceId}/conversations/${longThreadId}/messages`,
    { body: "Posted while you were reading", client_message_id: "scale-1" },
    owner.token,
  );
  expect(sent.status).toBe(201);
  await eventually(() => newMessages.getAttribute("aria-label")).toBe("1 new message, scroll to the latest");
  await bubble(page, longThreadBody(0)).waitFor();
  await newMessages.click();
  await bubble(page, "Posted while you were reading").waitFor();
  await newMessages.waitFor({ state: "detached" });
  const longTasks = await page.evaluate(() => (window as any).__longTasks as number[]);
  // One jump from the top to the middle of 10,000 messages: time to the next painted frame.
  const jumpMs = await thread().evaluate(
    (element) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        element.scrollTop = element.scrollHeight / 2;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
      }),
  );
  expect(await page.getByTestId("thread-row").count()).toBeLessThan(60);
  await thread().evaluate((element) => (element.scrollTop = 0));
  recordFigures({
    messages_loaded: longThread,
    message_rows_rendered_at_open: renderedAtOpen,
    message_rows_rendered_after_10000: renderedAtStart,
    message_pages_ms: Date.now() - startedAt,
    message_paging_long_tasks: longTasks.length,
    message_paging_longest_task_ms: Math.round(Math.max(0, ...longTasks)),
    message_jump_to_middle_frame_ms: Math.round(jumpMs),
  });
});

it("draws every tick state, quotes and media in a thread", async () => {
  await conversationRow(page, "Sofia Gallery").click();
  await bubble(page, "Let me confirm the date with the warehouse…").waitFor();
  // One more reply whose send fails in this tab: the red mark with Retry.
  await page.route("**/conversations/*/messages", (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
  await page.getByTestId("composer").fill("Shall I book Tuesday morning?");
  await page.getByTestId("composer").press("Enter");
  await bubble(page, "Shall I book Tuesday morning?").getByRole("button", { name: "Retry" }).waitFor();
  await page.unroute("**/conversations/*/messages");

  const tick = (body: string) => bubble(page, body).locator("[data-tick]").getAttribute("aria-label");
  expect(await tick("Let me confirm the date with the warehouse…")).toBe("Sending");
  expect(await tick("Yes, cash or card.")).toBe("Sent");
  expect(await tick("220 × 95 × 85 cm. Delivery takes 3 days.")).toBe("Delivered");
  expect(await tick("Here it is, in blue velvet")).toBe("Read");
  expect(await tick("Your order number is #4411.")).toBe("Not sent");
  await bubble(page, "Love it! What are the dimensions?")
    .getByRole("button", { name: /Show the quoted message from You/ })
    .waitFor();
  await eventually(() => page.locator('img[alt="blue-sofa.png"]').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(320);
  await page.getByText("Lisbon-sofa-spec-sheet.pdf").waitFor();
  await page.mouse.move(0, 0);
  await screenshot(page, "thread-ticks");
});

it("shows a WhatsApp group with its participants, sender names and a voice note", async () => {
  // Leave a draft in Sofia's conversation on the way.
  await page.getByTestId("composer").fill("Draft for Sofia");
  const row = conversationRow(page, "Lisbon Store Team");
  await eventually(() => row.textContent()).toContain("WhatsApp Web");
  expect(await row.getByLabel("Group, 4 participants").count()).toBe(1);
  await eventually(() => row.getByTestId("conversation-preview").textContent()).toBe("Rui Lopes: Thanks! I'll bring coffee ☕");
  await row.click();
  await bubble(page, "Thanks! I'll bring coffee ☕").waitFor();
  await page.getByText("Hugo Reis", { exact: true }).first().waitFor();
  await page.locator("audio").first().waitFor();
  await screenshot(page, "group-thread");

  // Back in Sofia's conversation, the draft is still there.
  await conversationRow(page, "Sofia Gallery").click();
  await eventually(() => page.getByTestId("composer").inputValue()).toBe("Draft for Sofia");
});

it("searches contacts and message text, and filters by status", async () => {
  const search = page.getByLabel("Search contacts and messages");
  const rows = page.getByTestId("conversation-row");
  await search.fill("Olivia Archive");
  await eventually(() => rows.count()).toBe(1);
  await conversationRow(page, "Olivia Archive").waitFor();
  await search.fill("alarm code");
  await conversationRow(page, "Lisbon Store Team").waitFor();
  await eventually(() => rows.count()).toBe(1);
  await search.fill("");
  await eventually(async () => (await rows.count()) > 5).toBe(true);

  // The inbox dropdown lists each inbox with its unread count; choosing one narrows the list.
  const inboxFilter = page.getByLabel("Filter by inbox");
  const whatsapp = (await inboxFilter.locator("option").allTextContents()).find((text) => text.startsWith("Store WhatsApp"));
  expect(whatsapp).toBe("Store WhatsApp · WhatsApp Web");
  expect((await inboxFilter.locator("option").allTextContents()).find((text) => text.startsWith("Website"))).toMatch(/^Website · Web widget \(\d+ unread\)$/);
  await inboxFilter.selectOption({ label: whatsapp! });
  await eventually(() => page.getByTestId("conversation-title").allTextContents()).toEqual(["Lisbon Store Team"]);
  await inboxFilter.selectOption("");
  await eventually(async () => (await rows.count()) > 5).toBe(true);

  await page.getByRole("button", { name: "Pending", exact: true }).click();
  await eventually(() => page.getByTestId("conversation-list").getAttribute("aria-busy")).toBe("false");
  await eventually(async () => (await rows.allTextContents()).every((text) => text.includes("pending"))).toBe(true);
  expect(await rows.count()).toBeGreaterThan(3);
  await page.getByRole("button", { name: "All", exact: true }).click();
  await eventually(async () => (await rows.allTextContents()).some((text) => !text.includes("pending"))).toBe(true);
  expect(errors).toEqual([]);
});
