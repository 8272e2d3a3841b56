import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { SecretTokens } from "../domain/security.ts";

/**
 * Tokens are a prefix plus 32 random bytes in base64url (256 bits). Only their SHA-256 is
 * stored: with that much entropy a fast hash is enough and lets a token be looked up by hash.
 */
export const randomSecretTokens: SecretTokens = {
  issue(prefix) {
    const token = `${prefix}${randomBytes(32).toString("base64url")}`;
    return { token, hash: sha256(token) };
  },
  hash: sha256,
  matches(expected, given) {
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  },
};

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
