/**
 * Shared pieces of the browser end-to-end tests: Debian's Chromium through playwright-core, a
 * place for screenshots (test-results/web, not committed), and the steps agents and visitors
 * take in the UI.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { startTestParley, type TestParley } from "../packages/server/test/parley.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..");
/** Screenshots and figures land here (gitignored). */
export const artifactsDir = join(repoRoot, "test-results", "web");

/** Fails early with the fix when the web app was not built (the server serves packages/web/dist). */
export function requireWebBuild(): void {
  if (!existsSync(join(repoRoot, "packages", "web", "dist", "index.html")))
    throw new Error("packages/web/dist is missing: run `npm run build -w @parley/web` (npm test does it in pretest).");
  if (!existsSync(join(repoRoot, "packages", "widget", "dist", "widget.js")))
    throw new Error("the widget bundle is missing: run `npm run build -w @parley/widget`.");
}

/** Headless Chromium as the issue prescribes. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * A Parley (in-memory PGlite) and a Chromium for the calling test file: started before its tests
 * and handed to `use`, both stopped after them. Needs the built web app (`requireWebBuild`).
 */
export function useParleyAndChromium(use: (started: { parley: TestParley; browser: Browser }) => void): void {
  let started: { parley: TestParley; browser: Browser } | undefined;
  beforeAll(async () => {
    requireWebBuild();
    const [parley, browser] = await Promise.all([startTestParley(), launchBrowser()]);
    started = { parley, browser };
    use(started);
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.parley.stop();
  });
}

/** Saves a full-viewport screenshot as test-results/web/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export { freePort } from "../packages/server/test/processes.ts";

/** Collects uncaught page errors so a test can assert the app threw none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Signs up through the UI; resolves once the inbox is open and live. */
export async function signUp(page: Page, baseUrl: string, person: { name: string; email: string; workspace: string }): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Work e-mail").fill(person.email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByLabel("Company or team name").fill(person.workspace);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/w\/[0-9a-f-]+$/);
  await connection(page).and(page.locator('[data-connection="live"]')).waitFor();
}

/** The signed-in user's token (as the app stored it) and the workspace the page is in. */
export async function signedInSession(page: Page): Promise<{ token: string; workspaceId: string }> {
  const token = await page.evaluate(() => localStorage.getItem("parley.token") ?? "");
  const workspaceId = /\/w\/([0-9a-f-]+)/.exec(page.url())?.[1] ?? "";
  return { token, workspaceId };
}

/** A context whose pages start signed in with `token` (as after a login), at `workspaceId`. */
export async function signedInContext(browser: Browser, token: string, workspaceId: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(
    ([savedToken, savedWorkspace]) => {
      if (!localStorage.getItem("parley.token")) {
        localStorage.setItem("parley.token", savedToken!);
        localStorage.setItem("parley.workspace", savedWorkspace!);
      }
    },
    [token, workspaceId],
  );
  return context;
}

/** The connection indicator (Live / Reconnecting… / Offline). */
export function connection(page: Page): Locator {
  return page.locator("[data-connection]");
}

/** The conversation list's row titled `title`. */
export function conversationRow(page: Page, title: string): Locator {
  return page.getByTestId("conversation-row").filter({ has: page.getByTestId("conversation-title").getByText(title, { exact: true }) });
}

/** The agent's bubble whose text is `body`. */
export function bubble(page: Page, body: string): Locator {
  return page.getByTestId("message").filter({ has: page.getByTestId("message-body").getByText(body, { exact: true }) });
}

/**
 * Opens the demo page with the real widget for `widgetKey` in its own context (a separate
 * visitor), starts a chat as `name`, and returns the page.
 */
export async function openVisitor(browser: Browser, baseUrl: string, widgetKey: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/widget-demo?widget_key=${encodeURIComponent(widgetKey)}`);
  await page.waitForFunction(() => typeof (window as unknown as { Parley?: { open(): void } }).Parley?.open === "function");
  await page.evaluate(() => (window as unknown as { Parley: { open(): void } }).Parley.open());
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Start chat" }).click();
  await visitorComposer(page).waitFor();
  return page;
}

export function visitorComposer(page: Page): Locator {
  return page.getByPlaceholder("Write a message…");
}

/** The visitor writes `text` and presses Enter. */
export async function visitorSays(page: Page, text: string): Promise<void> {
  await visitorComposer(page).fill(text);
  await visitorComposer(page).press("Enter");
}

/** expect.poll with a timeout fit for a browser talking to a server (waits, never timed assertions). */
export function eventually<T>(read: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(read, { timeout, interval: 50 });
}

/** Adds `figures` to test-results/web/figures.json (numbers for the report: counts, sizes, ms). */
export function recordFigures(figures: Record<string, number | string>): void {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, "figures.json");
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch {
    current = {};
  }
  writeFileSync(path, `${JSON.stringify({ ...current, ...figures }, null, 2)}\n`);
}

/** Every word a person sees or hears on `page`: visible text, and the labels, placeholders and titles of visible elements. */
export function visibleWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const labels = [...document.querySelectorAll<HTMLElement>("[aria-label],[placeholder],[title],[alt]")]
      .filter((element) => element.offsetParent !== null || element.getClientRects().length > 0)
      .flatMap((element) => ["aria-label", "placeholder", "title", "alt"].map((name) => element.getAttribute(name) ?? ""));
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what is rendered (hidden elements left out), the point here
    return `${document.body.innerText}\n${labels.join("\n")}`;
  });
}

/** Which of `words` occur in `text` as whole words (a language check: English words left on an Indonesian screen). */
export function wordsIn(text: string, words: readonly string[]): string[] {
  return words.filter((word) => new RegExp(`(^|[^\\p{L}])${word}([^\\p{L}]|$)`, "u").test(text));
}
