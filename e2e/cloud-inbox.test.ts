/**
 * A WhatsApp Cloud API inbox end to end in a real browser: an owner creates it in Settings →
 * Inboxes against a fake Graph API, Meta's verification and signed webhooks reach the real
 * Parley, a customer's message appears live, the agent replies with a photo, Meta's statuses move
 * the ticks, and a conversation whose 24-hour window has closed offers templates instead.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeGraphApi, type FakeGraphApi } from "../packages/server/src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import {
  inbound,
  messageDelivery,
  newWamid,
  signDelivery,
  statusesDelivery,
} from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { startTestParley, type TestParley } from "../packages/server/test/parley.ts";
import { samplePng } from "./seed.ts";
import { bubble, connection, conversationRow, eventually, launchBrowser, requireWebBuild, screenshot, signUp, watchErrors } from "./support.ts";

let parley: TestParley;
let browser: Browser;
let fake: FakeGraphApi;
const appSecret = "e2e-meta-app-secret";
const verifyToken = "e2e-verify-token-42";
const hour = 3_600_000;

beforeAll(async () => {
  requireWebBuild();
  [parley, browser, fake] = await Promise.all([
    startTestParley(),
    launchBrowser(),
    startFakeGraphApi({
      templates: [
        {
          name: "order_ready",
          language: "en_US",
          status: "APPROVED",
          category: "UTILITY",
          components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} is ready for pickup." }],
        },
        { name: "spring_sale", language: "en_US", status: "REJECTED", category: "MARKETING", components: [{ type: "BODY", text: "Sale!" }] },
      ],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await fake?.close();
});

/** POSTs `payload` to the inbox's webhook as Meta does: the exact bytes, signed with the app secret. Returns the HTTP status. */
async function deliver(webhookUrl: string, payload: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signDelivery(appSecret, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** The tick of a bubble (clock, single, double, double-blue, failed): StatusTicks' `data-tick`. */
function tickOf(message: Locator): Promise<string | null> {
  return message.locator("[data-tick]").getAttribute("data-tick");
}

/** Opens Settings → Inboxes from the inbox page's menu. */
async function openInboxSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "New inbox" }).waitFor();
}

it("connects a Cloud API inbox from Settings, shows customers live, sends a photo and templates, and ticks with Meta's statuses", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: parley.url });
  const page = await context.newPage();
  const errors = watchErrors(page);

  // 1. An owner creates the inbox through the form, pointing it (Advanced) at the fake Graph API.
  await signUp(page, parley.url, { name: "Olga Owner", email: `olga-${Date.now()}@example.com`, workspace: "Lisbon Sofas" });
  await openInboxSettings(page);
  await page.getByRole("radio", { name: /WhatsApp Cloud API/ }).check();
  const form = page.getByTestId("cloud-inbox-form");
  await form.getByLabel("Inbox name").fill("Sales WhatsApp");
  // A number id pasted with a space is caught before anything is sent, under its field.
  await form.getByLabel("Phone number ID").fill("106540 352242922");
  await form.getByRole("button", { name: "Create WhatsApp inbox" }).click();
  await form.getByText("The phone number ID has digits only (copy it from Meta's API Setup page).").waitFor();
  expect(await form.getByLabel("Phone number ID").getAttribute("aria-invalid")).toBe("true");
  expect(await page.getByText("No inboxes yet.", { exact: false }).isVisible()).toBe(true);
  await form.getByLabel("Phone number ID").fill(fake.phoneNumberId);
  await eventually(() => form.getByLabel("Phone number ID").getAttribute("aria-invalid")).toBe(null);
  await form.getByLabel("WhatsApp Business Account ID").fill(fake.wabaId);
  await form.getByLabel("Access token").fill(fake.accessToken);
  await form.getByLabel("App secret").fill(appSecret);
  await form.getByLabel("Verify token").fill(verifyToken);
  await form.getByText("Advanced").click();
  await form.getByLabel("Graph API base URL (optional)").fill(fake.url);
  await screenshot(page, "cloud-inbox-form");
  await form.getByRole("button", { name: "Create WhatsApp inbox" }).click();

  const created = page.getByTestId("new-cloud-inbox");
  await created.waitFor();
  const webhookUrl = ((await created.getByTestId("webhook-url").textContent()) ?? "").trim();
  expect(webhookUrl).toMatch(new RegExp(`^${parley.url.replace(/[.]/g, "\\.")}/webhooks/whatsapp-cloud/[0-9a-f-]{36}$`));
  // The Copy button puts exactly that URL on the clipboard, for pasting into Meta's dashboard.
  await created.getByRole("button", { name: "Copy the webhook URL of Sales WhatsApp" }).click();
  await eventually(() => page.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);
  // The list shows the inbox as ready, with its secrets set but never shown.
  const listed = page.getByTestId("inbox-list").locator('li[data-provider="whatsapp_cloud"]');
  await eventually(() => listed.getByTestId("inbox-status").textContent()).toBe("ready");
  expect(await page.locator("body").textContent()).not.toContain(appSecret);
  expect(await page.locator("body").textContent()).not.toContain(fake.accessToken);
  await screenshot(page, "cloud-inbox-created");

  // Meta's "Verify and save": the challenge comes back for the right token only.
  const verify = (token: string) => fetch(`${webhookUrl}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
  const verified = await verify(verifyToken);
  expect(verified.status).toBe(200);
  expect(await verified.text()).toBe("1158201444");
  expect((await verify("not-the-token")).status).toBe(403);

  // 2. A customer writes: the conversation appears in the open inbox, live, and then in its thread.
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await connection(page).and(page.locator('[data-connection="live"]')).waitFor();
  // Set once in this page; still there at the end means nothing below needed a reload.
  await page.evaluate(() => Object.assign(window, { parleyNeverReloaded: true }));
  const bruna = { waId: "5511987654321", name: "Bruna Alves" };
  // A delivery not signed with the app secret is refused and shows nothing.
  const forged = JSON.stringify(messageDelivery(bruna, inbound.text("Forged: send me your password")));
  const refused = await fetch(webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signDelivery("not-the-app-secret", forged) },
    body: forged,
  });
  expect(refused.status).toBe(401);
  expect(await deliver(webhookUrl, messageDelivery(bruna, inbound.text("Olá! Is the blue sofa still available?")))).toBe(200);
  const row = conversationRow(page, "Bruna Alves");
  await row.waitFor();
  await eventually(() => row.getByTestId("conversation-preview").textContent()).toBe("Olá! Is the blue sofa still available?");
  await eventually(() => row.getByTestId("unread-badge").textContent()).toContain("1");
  await row.click();
  await bubble(page, "Olá! Is the blue sofa still available?").waitFor();
  expect(await page.getByTestId("thread-title").textContent()).toBe("Bruna Alves");
  const askedForPhoto = newWamid();
  expect(await deliver(webhookUrl, messageDelivery(bruna, inbound.text("Could you send a photo?"), { id: askedForPhoto }))).toBe(200);
  await bubble(page, "Could you send a photo?").waitFor();
  await eventually(() => row.getByTestId("unread-badge").count()).toBe(0);
  // Seen in the open thread: Meta is told, so Bruna's ticks turn blue on her phone.
  await eventually(() => fake.reads().some((receipt) => receipt.message_id === askedForPhoto)).toBe(true);

  // 3. The agent replies with a photo and a caption. Meta is slow for a moment, so the clock shows first.
  fake.setSendDelay(1500);
  const png = samplePng();
  await page.getByTestId("file-input").setInputFiles({ name: "blue-sofa.png", mimeType: "image/png", buffer: png });
  const composer = page.getByTestId("composer");
  await eventually(() => composer.getAttribute("placeholder")).toBe("Add a caption");
  await composer.fill("Here it is, in blue velvet");
  await composer.press("Enter");
  const photo = bubble(page, "Here it is, in blue velvet");
  await photo.waitFor();
  await eventually(() => tickOf(photo)).toBe("clock");
  await eventually(() => tickOf(photo), 20_000).toBe("single");
  fake.setSendDelay(0);
  const uploads = fake.uploads();
  expect(uploads).toHaveLength(1);
  expect(uploads[0]!.mime).toBe("image/png");
  expect(Buffer.from(uploads[0]!.bytes).equals(png)).toBe(true);
  const photoSend = fake.sent().find((sent) => sent.body.type === "image");
  expect(photoSend?.body).toMatchObject({
    messaging_product: "whatsapp",
    to: "5511987654321",
    type: "image",
    image: { id: uploads[0]!.id, caption: "Here it is, in blue velvet" },
  });
  // The picture itself is on screen, not a broken image.
  await eventually(() =>
    photo
      .locator("img")
      .first()
      .evaluate((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth),
  ).toBe(320);

  // 4. Meta reports the photo delivered, then read: ✓✓, then blue ✓✓.
  const wamid = photoSend!.wamid;
  expect(await deliver(webhookUrl, statusesDelivery([{ id: wamid, status: "delivered", recipientId: bruna.waId }]))).toBe(200);
  await eventually(() => tickOf(photo)).toBe("double");
  expect(await deliver(webhookUrl, statusesDelivery([{ id: wamid, status: "read", recipientId: bruna.waId }]))).toBe(200);
  await eventually(() => tickOf(photo)).toBe("double-blue");
  const tickColour = await photo.locator("[data-tick]").evaluate((tick) => getComputedStyle(tick).color);
  const [red, green, blue] = (tickColour.match(/\d+/g) ?? []).map(Number);
  expect(blue!).toBeGreaterThan(200);
  expect(blue!).toBeGreaterThan(red! + 100);
  expect(green!).toBeGreaterThan(red!);
  await screenshot(page, "cloud-thread");

  // 5. A customer whose last message is 25 h old: the window has closed, so the composer gives way to templates.
  const carla = { waId: "351912345678", name: "Carla Mendes" };
  const twentyFiveHoursAgo = String(Math.floor((Date.now() - 25 * hour) / 1000));
  expect(await deliver(webhookUrl, messageDelivery(carla, inbound.text("Do you deliver to Porto?"), { id: newWamid(), timestamp: twentyFiveHoursAgo }))).toBe(
    200,
  );
  const late = conversationRow(page, "Carla Mendes");
  await late.waitFor();
  await late.click();
  await bubble(page, "Do you deliver to Porto?").waitFor();
  const banner = page.getByTestId("window-closed");
  await banner.getByText("The 24-hour customer service window has closed.", { exact: false }).waitFor();
  expect(await page.getByTestId("composer").count()).toBe(0);
  await screenshot(page, "cloud-window-banner");

  await banner.getByRole("button", { name: "Choose a template" }).click();
  const picker = page.getByTestId("template-picker");
  const options = picker.getByTestId("template-option");
  await eventually(() => options.count()).toBe(1);
  expect(await options.first().textContent()).toContain("order_ready");
  await options.first().click();
  await picker.getByTestId("template-variable-1").fill("Carla");
  await picker.getByTestId("template-variable-2").fill("#4411");
  await eventually(() => picker.getByTestId("template-preview").textContent()).toBe("Hi Carla, your order #4411 is ready for pickup.");
  const sendTemplate = picker.getByRole("button", { name: "Send template" });
  // Enabled, and its fade-in from the disabled look finished, before the picture.
  await eventually(() => sendTemplate.evaluate((button) => !(button as HTMLButtonElement).disabled && getComputedStyle(button).opacity === "1")).toBe(true);
  await screenshot(page, "cloud-template-picker");
  await sendTemplate.click();
  // The bubble is the template, with Carla's values (its text is the server's record of the send, see below).
  const templated = page.locator('[data-testid="message"][data-type="template"]');
  await templated.waitFor();
  await eventually(() => tickOf(templated), 20_000).toBe("single");
  expect(await templated.textContent()).toContain("order_ready");
  expect(await templated.getByTestId("message-body").textContent()).toMatch(/Carla.*#4411/);
  const templateSend = fake.sent().find((sent) => sent.body.type === "template");
  expect(templateSend?.body).toMatchObject({
    to: "351912345678",
    type: "template",
    template: {
      name: "order_ready",
      language: { code: "en_US" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Carla" },
            { type: "text", text: "#4411" },
          ],
        },
      ],
    },
  });
  // The window is still closed: the banner stays, free text still cannot be typed.
  await banner.waitFor();
  expect(await page.getByTestId("composer").count()).toBe(0);
  expect(fake.sent()).toHaveLength(2);
  await screenshot(page, "cloud-template-sent");
  expect(await page.getByText("Forged: send me your password").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { parleyNeverReloaded?: boolean }).parleyNeverReloaded)).toBe(true);
  expect(errors).toEqual([]);
});
