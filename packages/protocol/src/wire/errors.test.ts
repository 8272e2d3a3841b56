import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorBodySchema, errorCodes } from "./errors.ts";

describe("error codes", () => {
  it("are unique and namespaced", () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) expect(code).toMatch(/^(internal|[a-z]+\.[a-z_]+)$/);
  });

  it("an error body with a code outside the list is refused", () => {
    expect(errorBodySchema.safeParse({ error: { code: "conversations.window_closed", message: "The 24-hour window has closed." } }).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: "conversations.closed", message: "?" } }).success).toBe(false);
  });
});

// The widget and the server's domain import the value lists at run time: they must not pull in zod.
describe("value lists", () => {
  it("import nothing but relative modules", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    for (const file of ["values.ts", "../message-status.ts"]) {
      const source = readFileSync(resolve(here, file), "utf8");
      const specifiers = [...source.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']/g)].map((match) => match[1]);
      expect(specifiers.every((specifier) => specifier?.startsWith("."))).toBe(true);
    }
  });
});
