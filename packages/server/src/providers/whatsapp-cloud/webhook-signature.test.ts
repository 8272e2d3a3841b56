import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signDelivery } from "./testing/webhook-deliveries.ts";
import { verifyWebhookSignature } from "./webhook-signature.ts";

const secret = "app-secret-123";
// Meta escapes non-ASCII in the body it signs; the raw bytes, not re-serialised JSON, are what count.
const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}],"note":"Gr\\u00fc\\u00dfe"}';
const expectedHex = createHmac("sha256", secret).update(body).digest("hex");

describe("verifyWebhookSignature", () => {
  it("accepts Meta's sha256=<hex HMAC-SHA256(app secret, raw body)>", () => {
    expect(signDelivery(secret, body)).toBe(`sha256=${expectedHex}`);
    expect(verifyWebhookSignature(secret, body, `sha256=${expectedHex}`)).toBe(true);
  });

  it("accepts the raw body as bytes, and upper-case hex", () => {
    expect(verifyWebhookSignature(secret, Buffer.from(body, "utf8"), `sha256=${expectedHex.toUpperCase()}`)).toBe(true);
  });

  it("refuses a signature made with another secret", () => {
    expect(verifyWebhookSignature(secret, body, signDelivery("forged-secret", body))).toBe(false);
  });

  it("refuses a tampered body", () => {
    expect(verifyWebhookSignature(secret, body.replace('"id":"1"', '"id":"2"'), `sha256=${expectedHex}`)).toBe(false);
  });

  it("refuses the same body re-serialised (the check is over the bytes received)", () => {
    expect(verifyWebhookSignature(secret, JSON.stringify(JSON.parse(body)), `sha256=${expectedHex}`)).toBe(false);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["without the sha256= prefix", expectedHex],
    ["with another algorithm", `sha1=${expectedHex}`],
    ["too short", `sha256=${expectedHex.slice(0, 63)}`],
    ["too long", `sha256=${expectedHex}0`],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["repeated", [`sha256=${expectedHex}`, `sha256=${expectedHex}`]],
  ])("refuses a header that is %s", (_, header) => {
    expect(verifyWebhookSignature(secret, body, header)).toBe(false);
  });

  it("refuses everything when the app secret is empty", () => {
    expect(verifyWebhookSignature("", body, signDelivery("", body))).toBe(false);
  });
});
