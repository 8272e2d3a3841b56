import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The widget bundles this entry point with no Node polyfills: walk its import graph and make
// sure nothing reaches a Node built-in or a package.
describe("browser-safe entry point", () => {
  it("imports only relative modules that import no Node built-ins", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']/g)) {
        const specifier = match[1] ?? "";
        if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
        else bad.push(`${file}: ${specifier}`);
      }
      if (/\brequire\(|\bBuffer\b|\bprocess\./.test(source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""))) bad.push(`${file}: Node global`);
    };
    visit(resolve(here, "index.ts"));
    expect(seen.size).toBeGreaterThan(5);
    expect(bad).toEqual([]);
    expect(builtinModules.length).toBeGreaterThan(0);
  });
});
