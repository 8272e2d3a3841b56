/**
 * Secrets at rest (Cloud API access tokens, app secrets, verify tokens, session credentials):
 * AES-256-GCM with one installation-wide key.
 *
 * The key comes from PARLEY_SECRET_KEY, or, for the one-machine embedded mode, is generated once
 * and kept in DATA_DIR/secret.key. Several nodes sharing a database must share
 * PARLEY_SECRET_KEY: a node with another key cannot open what the others sealed (and a key file
 * per node would be exactly that). To move an embedded install to PostgreSQL, copy the key
 * file's content into PARLEY_SECRET_KEY. Losing the key loses every sealed secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SecretSealer } from "../domain/security.ts";

const keyBytes = 32;
/** GCM's recommended nonce size (NIST SP 800-38D); random per seal, never reused with a key. */
const ivBytes = 12;
const tagBytes = 16;
const version = "v1";

/** The forms PARLEY_SECRET_KEY accepts, for error messages. */
export const secretKeyForms = "32 bytes as base64 (44 characters, e.g. `openssl rand -base64 32`) or as 64 hex characters";

/** A sealed value that cannot be opened: malformed, altered, or sealed with another key. */
export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedSecretError";
  }
}

/**
 * Seals and opens secrets with `key` (32 bytes; throws Error otherwise).
 *
 * `seal` returns a self-describing text, `v1:<iv>:<tag>:<ciphertext>` (each base64url; the IV
 * is 12 random bytes per call, so sealing one value twice gives two different texts). `open`
 * returns the plaintext, or throws SealedSecretError when the text is not of that form, names
 * another version, or fails authentication (altered, or sealed with another key).
 */
export function createSecretBox(key: Buffer): SecretSealer {
  if (key.length !== keyBytes) throw new Error(`A secret key must be ${keyBytes} bytes; got ${key.length}.`);
  const secret = Buffer.from(key);
  return {
    seal(plaintext) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [version, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(":");
    },
    open(sealed) {
      const parts = sealed.split(":");
      if (parts.length !== 4 || !parts.slice(1).every((part) => /^[A-Za-z0-9_-]*$/.test(part))) {
        throw new SealedSecretError("Not a sealed secret (expected v1:<iv>:<tag>:<ciphertext>).");
      }
      const [sealedVersion, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
      if (sealedVersion !== version) throw new SealedSecretError(`Unsupported sealed-secret version "${sealedVersion}" (this Parley reads ${version}).`);
      const iv = Buffer.from(ivText, "base64url");
      const tag = Buffer.from(tagText, "base64url");
      if (iv.length !== ivBytes || tag.length !== tagBytes) throw new SealedSecretError("Not a sealed secret: wrong IV or tag length.");
      try {
        const decipher = createDecipheriv("aes-256-gcm", secret, iv, { authTagLength: tagBytes });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new SealedSecretError("Cannot open a sealed secret: it was altered, or sealed with another PARLEY_SECRET_KEY.");
      }
    },
  };
}

/**
 * Decodes a key written as 64 hex characters or as base64/base64url of 32 bytes (surrounding
 * whitespace ignored). Returns null for anything else, including base64 of another length.
 */
export function decodeSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  // Buffer's base64 decoder skips characters it does not know; check the alphabet first.
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) {
    const decoded = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (decoded.length === keyBytes) return decoded;
  }
  return null;
}

/**
 * The installation's secret key (32 bytes).
 * - `envValue` (PARLEY_SECRET_KEY) set and non-blank: that key; throws Error naming
 *   PARLEY_SECRET_KEY and the accepted forms when it is neither.
 * - else `dataDir` "memory://…": a random key for this process only (its database is in memory
 *   too).
 * - else `dataDir/secret.key`: read when present (throws Error naming the file when it does not
 *   hold a key); otherwise generated, written with mode 0600 (the directory is created), and
 *   read back on the next start. Two processes starting at once end up with the same key: the
 *   file is linked into place atomically and the loser reads the winner's.
 */
export function loadSecretKey({ envValue, dataDir }: { envValue: string | undefined; dataDir: string }): Buffer {
  if (envValue !== undefined && envValue.trim() !== "") {
    const key = decodeSecretKey(envValue);
    if (!key) throw new Error(`PARLEY_SECRET_KEY must be ${secretKeyForms}.`);
    return key;
  }
  if (dataDir.startsWith("memory://")) return randomBytes(keyBytes);
  const path = join(dataDir, "secret.key");
  const existing = readKeyFile(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  // Written aside and linked into place, so no process ever reads a half-written key.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, `${randomBytes(keyBytes).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKeyFile(path)!;
}

function readKeyFile(path: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const key = decodeSecretKey(text);
  if (!key) throw new Error(`${path} does not hold a secret key (${secretKeyForms}); restore it, or set PARLEY_SECRET_KEY.`);
  return key;
}
