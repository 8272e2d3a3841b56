/**
 * Meta signs every webhook delivery with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app
 * secret, raw body)>` (Meta's "Webhooks" guide, "Validate payloads"). The HMAC must be computed
 * over the bytes as received, before any JSON parsing: re-serialised JSON differs (Meta escapes
 * non-ASCII characters, e.g. `\u00e4`), and the signature would not match.
 */
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "@parley/protocol/signing";

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** `sha256=<hex>` for `rawBody` under `appSecret`: the header value Meta would send. */
export function signWebhookBody(appSecret: string, rawBody: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Checks a delivery's `X-Hub-Signature-256` header against the raw body, in constant time.
 * @param header the header value as received (a repeated header arrives as an array: refused).
 * @returns true only for a well-formed `sha256=<64 hex>` that matches; a missing, malformed or
 *   wrong-length header, or an empty secret, gives false. Never throws.
 */
export function verifyWebhookSignature(appSecret: string, rawBody: Uint8Array | string, header: string | string[] | null | undefined): boolean {
  if (typeof header !== "string" || appSecret === "") return false;
  const match = HEADER.exec(header.trim());
  if (!match?.[1]) return false;
  // Constant time: where the signatures differ does not show in how long the comparison takes.
  return constantTimeEqual(`sha256=${match[1].toLowerCase()}`, signWebhookBody(appSecret, rawBody));
}
