import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { createSecretBox, decodeSecretKey, loadSecretKey, SealedSecretError } from "./secret-box.ts";

const root = mkdtempSync(join(tmpdir(), "parley-secret-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let directories = 0;
const freshDataDir = () => join(root, `data-${++directories}`);

describe("secret box", () => {
  const box = createSecretBox(randomBytes(32));

  it("opens what it sealed, including empty and non-ASCII secrets", () => {
    for (const secret of ["EAAG…access-token", "", "sénha 🔑 密码"]) expect(box.open(box.seal(secret))).toBe(secret);
  });

  it("seals in the versioned text form, with a fresh IV every time", () => {
    const first = box.seal("same secret");
    const second = box.seal("same secret");
    expect(first).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("same secret");
  });

  it("refuses a value sealed with another key", () => {
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(box.seal("token"))).toThrow(/altered, or sealed with another PARLEY_SECRET_KEY/);
  });

  it("refuses an altered ciphertext, tag or IV", () => {
    const [version, iv, tag, ciphertext] = box.seal("a long enough secret").split(":") as [string, string, string, string];
    const flip = (text: string) => {
      const bytes = Buffer.from(text, "base64url");
      bytes[0]! ^= 1;
      return bytes.toString("base64url");
    };
    for (const altered of [
      [version, iv, tag, flip(ciphertext)],
      [version, iv, flip(tag), ciphertext],
      [version, flip(iv), tag, ciphertext],
    ]) {
      expect(() => box.open(altered.join(":"))).toThrow(SealedSecretError);
    }
  });

  it("names what is wrong with a value that is not a sealed secret", () => {
    expect(() => box.open("plain-token")).toThrow(/Not a sealed secret/);
    expect(() => box.open("v1:abc:def")).toThrow(/Not a sealed secret/);
    expect(() => box.open("v1:AAAA:AAAA:AAAA")).toThrow(/wrong IV or tag length/);
    expect(() => box.open(box.seal("x").replace(/^v1/, "v2"))).toThrow(/Unsupported sealed-secret version "v2"/);
  });

  it("needs a 32-byte key", () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("decodeSecretKey", () => {
  const key = randomBytes(32);

  it("accepts 32 bytes as base64, base64url or hex, ignoring surrounding whitespace", () => {
    for (const text of [key.toString("base64"), key.toString("base64url"), key.toString("hex"), `  ${key.toString("hex").toUpperCase()}\n`]) {
      expect(decodeSecretKey(text)?.equals(key)).toBe(true);
    }
  });

  it("refuses other lengths and alphabets", () => {
    for (const text of [
      randomBytes(16).toString("base64"),
      randomBytes(48).toString("base64"),
      key.toString("hex").slice(1),
      "correct horse battery staple",
      `${key.toString("base64").slice(0, 40)}!!!=`,
    ]) {
      expect(decodeSecretKey(text)).toBeNull();
    }
  });
});

describe("loadSecretKey", () => {
  it("uses PARLEY_SECRET_KEY when it is set, writing no key file", () => {
    const key = randomBytes(32);
    const dataDir = freshDataDir();
    expect(loadSecretKey({ envValue: key.toString("base64"), dataDir }).equals(key)).toBe(true);
    expect(() => statSync(join(dataDir, "secret.key"))).toThrow();
  });

  it("names the variable and the accepted forms for a bad PARLEY_SECRET_KEY", () => {
    expect(() => loadSecretKey({ envValue: "hunter2", dataDir: freshDataDir() })).toThrow(
      /PARLEY_SECRET_KEY must be 32 bytes as base64 .* or as 64 hex characters/,
    );
  });

  it("generates a key once under DATA_DIR, readable by its owner only, and reads it on the next start", () => {
    const dataDir = freshDataDir();
    const first = loadSecretKey({ envValue: undefined, dataDir });
    const file = join(dataDir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(decodeSecretKey(readFileSync(file, "utf8"))?.equals(first)).toBe(true);
    expect(loadSecretKey({ envValue: "", dataDir }).equals(first)).toBe(true);
    // What one start sealed, the next opens.
    expect(createSecretBox(loadSecretKey({ envValue: undefined, dataDir })).open(createSecretBox(first).seal("token"))).toBe("token");
  });

  it("refuses a key file that holds no key rather than replacing it", () => {
    const dataDir = freshDataDir();
    loadSecretKey({ envValue: undefined, dataDir });
    writeFileSync(join(dataDir, "secret.key"), "truncated");
    expect(() => loadSecretKey({ envValue: undefined, dataDir })).toThrow(/secret\.key does not hold a secret key/);
    expect(readFileSync(join(dataDir, "secret.key"), "utf8")).toBe("truncated");
  });

  it("keeps a random key in memory for an in-memory data directory", () => {
    const first = loadSecretKey({ envValue: undefined, dataDir: "memory://" });
    expect(first).toHaveLength(32);
    expect(loadSecretKey({ envValue: undefined, dataDir: "memory://" }).equals(first)).toBe(false);
  });
});

describe("PARLEY_SECRET_KEY in the configuration", () => {
  it("is read when valid and refused, by name, when not", () => {
    const key = randomBytes(32).toString("hex");
    expect(loadConfig({ PARLEY_SECRET_KEY: key }).secretKey).toBe(key);
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(() => loadConfig({ PARLEY_SECRET_KEY: "too-short" })).toThrow(/Invalid configuration: PARLEY_SECRET_KEY: must be 32 bytes as base64/);
  });
});
