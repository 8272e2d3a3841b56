/**
 * The agent inbox end to end in a real browser against a real Parley: sign up, create a widget
 * inbox, a visitor writes through the real widget, and everything moves live both ways.
 */
import type { Browser, Page } from "playwright-core";
import { expect, it } from "vitest";
import type { TestParley } from "../packages/server/test/parley.ts";
import {
  bubble,
  connection,
  eventually,
  signedInContext,
  conversationRow,
  openVisitor,
  screenshot,
  signUp,
  visitorComposer,
  visitorSays,
  watchErrors,
  useParleyAndChromium,
} from "./support.ts";

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

it("carries a conversation between the agent inbox and the website widget live, both ways", async () => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  const errors = watchErrors(agent);

  // Sign up, then create a website widget inbox in Settings and read its embed code.
  await signUp(agent, parley.url, { name: "Ana Agent", email: `ana-${Date.now()}@example.com`, workspace: "Acme Furniture" });
  await eventually(() => agent.getByText("No conversations yet").isVisible()).toBe(true);
  await agent.getByRole("button", { name: "Menu" }).click();
  await agent.getByRole("menuitem", { name: "Settings" }).click();
  await agent.getByRole("radio", { name: /Website widget/ }).check();
  await agent.getByLabel("Inbox name").fill("Website");
  await agent.getByRole("button", { name: "Create widget inbox" }).click();
  const snippet = (await agent.getByTestId("new-inbox-snippet").textContent()) ?? "";
  expect(snippet).toContain(`${parley.url}/widget.js`);
  const widgetKey = /data-widget-key="([^"]+)"/.exec(snippet)?.[1];
  expect(widgetKey).toBeTruthy();
  await eventually(() => agent.getByTestId("inbox-list").textContent()).toContain("Website");
  await agent.getByRole("link", { name: "Back to the inbox" }).click();
  await connection(agent).and(agent.locator('[data-connection="live"]')).waitFor();

  // A visitor writes through the real widget: the conversation appears in the list without a reload.
  const visitor = await openVisitor(browser, parley.url, widgetKey!, "Maria Visitor");
  await visitorSays(visitor, "Hello! Do you ship sofas to Lisbon?");
  const row = conversationRow(agent, "Maria Visitor");
  await row.waitFor();
  await eventually(() => row.getByTestId("conversation-preview").textContent()).toBe("Hello! Do you ship sofas to Lisbon?");
  await eventually(() => row.getByTestId("unread-badge").textContent()).toContain("1");
  await eventually(() => row.textContent()).toContain("Web widget");
  await eventually(() => agent.title()).toBe("(1) Parley");

  // A second message while the list is open moves the count on, live.
  await visitorSays(visitor, "It's the blue three-seater.");
  await eventually(() => row.getByTestId("unread-badge").textContent()).toContain("2");

  // Opening the conversation shows the thread and marks it read: the visitor's ticks turn blue.
  await row.click();
  await bubble(agent, "Hello! Do you ship sofas to Lisbon?").waitFor();
  await bubble(agent, "It's the blue three-seater.").waitFor();
  await eventually(() => row.getByTestId("unread-badge").count()).toBe(0);
  await eventually(() => agent.title()).toBe("Parley");
  await eventually(() => visitor.getByRole("img", { name: "Read" }).count()).toBe(2);

  // The visitor types: the agent sees it in the thread and the header.
  await visitorComposer(visitor).pressSequentially("Also", { delay: 80 });
  await agent.getByTestId("typing-indicator").getByText("Maria Visitor is typing…").waitFor();
  await agent.getByTestId("header-typing").waitFor();
  await visitorComposer(visitor).fill("");

  // The agent types: the visitor sees "Ana Agent is typing…".
  const composer = agent.getByTestId("composer");
  await composer.pressSequentially("Yes", { delay: 60 });
  await visitor.getByText("Ana Agent is typing…").waitFor();

  // Shift+Enter makes a new line; Enter sends. The bubble shows at once and the visitor gets it.
  await composer.press("Shift+Enter");
  await composer.pressSequentially("we deliver in 3 days.");
  await composer.press("Enter");
  const reply = bubble(agent, "Yes\nwe deliver in 3 days.");
  await reply.waitFor();
  await eventually(() => composer.inputValue()).toBe("");
  await visitor.getByText("we deliver in 3 days.", { exact: false }).first().waitFor();
  // The visitor's open widget reads it: the agent's ticks go to blue.
  await eventually(() => reply.getByRole("img").getAttribute("aria-label")).toBe("Read");
  await eventually(() => row.getByTestId("conversation-preview").textContent()).toBe("You: Yes we deliver in 3 days.");

  // Replying to a specific message quotes it.
  const quoted = bubble(agent, "It's the blue three-seater.");
  await quoted.hover();
  await quoted.getByRole("button", { name: "Reply to this message" }).click();
  await composer.fill("The blue one is in stock.");
  await composer.press("Enter");
  const quoting = bubble(agent, "The blue one is in stock.");
  await quoting.getByRole("button", { name: "Show the quoted message from Maria Visitor: It's the blue three-seater." }).waitFor();
  await visitor.getByText("The blue one is in stock.", { exact: true }).waitFor();

  // Another tab of the same agent sees the same thread, and follows new messages live.
  const secondTab = await agentContext.newPage();
  await secondTab.goto(agent.url());
  await bubble(secondTab, "Yes\nwe deliver in 3 days.").waitFor();
  await visitorSays(visitor, "Perfect, thank you!");
  await bubble(secondTab, "Perfect, thank you!").waitFor();
  await bubble(agent, "Perfect, thank you!").waitFor();
  await secondTab.close();

  // A send that fails shows Retry; retrying succeeds with the same message.
  await agent.route("**/conversations/*/messages", (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
  await composer.fill("Our pleasure!");
  await composer.press("Enter");
  const failed = bubble(agent, "Our pleasure!");
  await eventually(() => failed.getByRole("img").getAttribute("aria-label")).toBe("Not sent");
  await agent.unroute("**/conversations/*/messages");
  await failed.getByRole("button", { name: "Retry" }).click();
  await eventually(async () => ["Sent", "Delivered", "Read"].includes((await failed.getByRole("img").getAttribute("aria-label")) ?? "")).toBe(true);
  await visitor.getByText("Our pleasure!", { exact: true }).waitFor();
  expect(await bubble(agent, "Our pleasure!").count()).toBe(1);

  await screenshot(agent, "inbox-1280");
  await screenshot(visitor, "visitor-widget");
  expect(errors).toEqual([]);
});

it("works one panel at a time at 390 px, with the keyboard", async () => {
  const api = parley.api;
  const { token, workspaceId } = await api.signup("narrow");
  const inbox = await api.createWidgetInbox(workspaceId, token);
  const sessions: Record<string, string> = {};
  for (const name of ["Bruno", "Carla"]) {
    const session = await api.startVisitor(inbox.widget_key, { name });
    sessions[name] = session.session_token;
    await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `Hi, I'm ${name}`, client_message_id: `${name}-1` }, session.session_token);
  }
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await context.addInitScript(
    ([saved, workspace]) => {
      localStorage.setItem("parley.token", saved!);
      localStorage.setItem("parley.workspace", workspace!);
    },
    [token, workspaceId],
  );
  const page: Page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${parley.url}/`);
  await conversationRow(page, "Carla").waitFor();
  const titles = () => page.getByTestId("conversation-title").allTextContents();
  expect(await titles()).toEqual(["Carla", "Bruno"]);
  // Bruno writes again: his conversation moves to the top, live.
  await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "Are you open on Sunday?", client_message_id: "Bruno-2" }, sessions["Bruno"]);
  await eventually(titles).toEqual(["Bruno", "Carla"]);
  await screenshot(page, "narrow-390-list");

  // Keyboard: focus the list, move down to the second conversation, Enter opens it.
  await page.getByRole("listbox", { name: "Conversations" }).focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await bubble(page, "Hi, I'm Carla").waitFor();
  // Only the thread is shown: the list is hidden, and there is a way back.
  expect(await page.getByRole("listbox", { name: "Conversations" }).isVisible()).toBe(false);
  await screenshot(page, "narrow-390-thread");

  // The contact panel replaces the thread; Esc steps back to the thread, then to the list.
  await page.getByRole("button", { name: "Contact info", exact: true }).click();
  await page.getByTestId("contact-panel").waitFor();
  expect(await page.getByTestId("thread").isVisible()).toBe(false);
  await screenshot(page, "narrow-390-contact");
  await page.keyboard.press("Escape");
  await page.getByTestId("thread").waitFor();
  await page.getByTestId("thread").focus();
  await page.keyboard.press("Escape");
  await page.getByRole("listbox", { name: "Conversations" }).waitFor();
  await page.getByRole("button", { name: "Back to conversations" }).waitFor({ state: "detached" });
  expect(errors).toEqual([]);
});

it("notifies of a customer's message while the tab is hidden, and leaves it unread until seen", async () => {
  const api = parley.api;
  const { token, workspaceId } = await api.signup("hidden");
  const inbox = await api.createWidgetInbox(workspaceId, token);
  const session = await api.startVisitor(inbox.widget_key, { name: "Helena Hidden" });
  const say = (body: string, id: string) => api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body, client_message_id: id }, session.session_token);
  await say("First question", "h-1");
  const context = await signedInContext(browser, token, workspaceId);
  // The page can be told it is hidden, and desktop notifications and chimes are recorded.
  await context.addInitScript(() => {
    const recorded = ((window as any).__recorded = { notifications: [] as Array<{ title: string; body: string }>, chimes: 0 });
    let hidden = false;
    Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
    (window as any).__setHidden = (value: boolean) => {
      hidden = value;
      document.dispatchEvent(new Event("visibilitychange"));
    };
    (window as any).Notification = class {
      static permission = "granted";
      static requestPermission = async () => "granted";
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        recorded.notifications.push({ title, body: options.body });
      }
      close() {}
    };
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      recorded.chimes++;
      return createOscillator.call(this);
    };
  });
  const page = await context.newPage();
  await page.goto(`${parley.url}/w/${workspaceId}/c/${session.conversation.id}`);
  await bubble(page, "First question").waitFor();
  await eventually(() => page.title()).toBe("Parley");

  await page.evaluate(() => (window as any).__setHidden(true));
  await say("Hello? Anyone there?", "h-2");
  await bubble(page, "Hello? Anyone there?").waitFor();
  await eventually(() => page.evaluate(() => (window as any).__recorded.notifications)).toEqual([{ title: "Helena Hidden", body: "Hello? Anyone there?" }]);
  expect(await page.evaluate(() => (window as any).__recorded.chimes)).toBeGreaterThan(0);
  // Not read while hidden: the title counts it, the list shows the badge.
  await eventually(() => page.title()).toBe("(1) Parley");
  expect(await conversationRow(page, "Helena Hidden").getByTestId("unread-badge").textContent()).toContain("1");

  // Back in front: read, and the count clears.
  await page.evaluate(() => (window as any).__setHidden(false));
  await eventually(() => page.title()).toBe("Parley");
  await eventually(() => conversationRow(page, "Helena Hidden").getByTestId("unread-badge").count()).toBe(0);
  const messages = await api.get(`/api/v1/workspaces/${workspaceId}/conversations/${session.conversation.id}/messages`, token);
  expect(messages.body.data.map((message: { status: string }) => message.status)).toEqual(["read", "read"]);
});
