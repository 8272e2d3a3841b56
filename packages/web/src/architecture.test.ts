/**
 * The web app's three layers (STYLE.md, "Web app in three layers"), checked on the source so the
 * rule cannot erode silently:
 * - `ui/` (the basics) imports neither feature modules nor `app/`;
 * - a feature module (`modules/<area>/`) imports only `ui/`, `lib/`, packages and itself: never
 *   another module (its store or its components) and never `app/`;
 * - `lib/` and `i18n/` (the dictionaries and `t()`, a basic like lib/) import none of `ui/`,
 *   `modules/`, `app/`;
 * - nothing in packages/web imports server code (the browser tests live in the top-level e2e/).
 * `app/` (pages, router, live-sync) may import anything in the app.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = dirname(fileURLToPath(import.meta.url));

interface SourceFile {
  /** Path relative to src/, with "/" separators (e.g. "modules/composer/store/drafts.store.ts"). */
  path: string;
  text: string;
}

/** Every import specifier in `text`: static imports and re-exports, side-effect imports, dynamic import(). */
function importSpecifiers(text: string): string[] {
  const pattern = /\b(?:import|export)\s[^"'`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;
  return [...text.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

type Layer = { kind: "module"; area: string } | { kind: "app" | "ui" | "lib" | "other" } | { kind: "outside" };

/** The layer of a path relative to src/: "outside" when it leaves packages/web, "other" for main.ts, testing/, files beside src/. */
function layerOf(path: string): Layer {
  if (path.startsWith("../../")) return { kind: "outside" };
  const [top, area] = path.split("/");
  if (top === "modules" && area) return { kind: "module", area };
  if (top === "app" || top === "ui" || top === "lib") return { kind: top };
  // The dictionaries are a basic every layer uses, with lib/'s rule: they import nothing above them.
  if (top === "i18n") return { kind: "lib" };
  return { kind: "other" };
}

function describeLayer(layer: Layer): string {
  return layer.kind === "module" ? `modules/${layer.area}` : layer.kind;
}

/** Why `from` may not import `to`, or null when it may. */
function breach(from: Layer, to: Layer): string | null {
  if (to.kind === "outside") return "packages/web imports code from outside itself";
  if (from.kind === "module" && to.kind === "module" && to.area !== from.area) return "a feature module imports another feature module";
  if (from.kind === "module" && to.kind === "app") return "a feature module imports the app layer";
  if (from.kind === "ui" && (to.kind === "module" || to.kind === "app")) return `ui/ imports ${describeLayer(to)}`;
  if (from.kind === "lib" && (to.kind === "module" || to.kind === "app" || to.kind === "ui")) return `lib/ imports ${describeLayer(to)}`;
  return null;
}

/** "file → target: reason" for every import that breaks the layering, and how many imports were looked at. */
function layerViolations(files: readonly SourceFile[]): { violations: string[]; imports: number } {
  const violations: string[] = [];
  let imports = 0;
  for (const file of files) {
    const from = layerOf(file.path);
    for (const specifier of importSpecifiers(file.text)) {
      imports++;
      if (/^@parley\/server(\/|$)/.test(specifier)) {
        violations.push(`${file.path} → ${specifier}: packages/web imports server code`);
        continue;
      }
      if (!specifier.startsWith(".")) continue;
      const target = relative(srcDir, resolve(srcDir, dirname(file.path), specifier))
        .split(sep)
        .join("/");
      const reason = breach(from, layerOf(target));
      if (reason) violations.push(`${file.path} → ${target}: ${reason}`);
    }
  }
  return { violations, imports };
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    if (!/\.(ts|vue)$/.test(name)) return [];
    return [{ path: relative(srcDir, path).split(sep).join("/"), text: readFileSync(path, "utf8") }];
  });
}

describe("the web app's layers", () => {
  it("hold in the source: modules never import each other or app/, ui/ and lib/ stay below them, no server code", () => {
    // This file's examples of breaches are strings, not imports.
    const files = sourceFiles(srcDir).filter((file) => file.path !== "architecture.test.ts");
    const { violations, imports } = layerViolations(files);
    // A broken walk or pattern would find nothing and pass; the app has well over these.
    expect(files.length).toBeGreaterThan(60);
    expect(imports).toBeGreaterThan(250);
    expect(violations).toEqual([]);
  });

  it("catches each kind of breach, in static, dynamic and re-export forms", () => {
    const { violations } = layerViolations([
      {
        path: "modules/composer/components/A.vue",
        text: `<script setup lang="ts">\nimport {\n  useMessagesStore,\n} from "../../messages/store/messages.store.ts";\n</script>`,
      },
      { path: "modules/composer/store/b.ts", text: `export { x } from "../../../app/live-sync/live-sync.ts";` },
      { path: "modules/contacts/c.ts", text: `const page = () => import("../settings/pages/P.vue");` },
      { path: "ui/D.vue", text: `import type { Typist } from "../modules/typing/store/typing.store.ts";` },
      { path: "ui/e.ts", text: `import "../app/router.ts";` },
      { path: "lib/f.ts", text: `import { showToast } from "../ui/toasts.ts";` },
      { path: "app/g.ts", text: `import { startParley } from "../../../server/src/main.ts";` },
      { path: "modules/messages/h.ts", text: `import { newId } from "@parley/server/src/domain/ids.ts";` },
      // Allowed: a module's own files, ui/, lib/, packages; app/ importing modules.
      {
        path: "modules/composer/i.ts",
        text: `import { a } from "./store/drafts.store.ts";\nimport { b } from "../../ui/time.ts";\nimport { c } from "../../lib/http.ts";\nimport { d } from "@parley/protocol/typing";`,
      },
      { path: "app/pages/J.vue", text: `import K from "../../modules/composer/components/K.vue";` },
    ]);
    expect(violations).toEqual([
      "modules/composer/components/A.vue → modules/messages/store/messages.store.ts: a feature module imports another feature module",
      "modules/composer/store/b.ts → app/live-sync/live-sync.ts: a feature module imports the app layer",
      "modules/contacts/c.ts → modules/settings/pages/P.vue: a feature module imports another feature module",
      "ui/D.vue → modules/typing/store/typing.store.ts: ui/ imports modules/typing",
      "ui/e.ts → app/router.ts: ui/ imports app",
      "lib/f.ts → ui/toasts.ts: lib/ imports ui",
      "app/g.ts → ../../server/src/main.ts: packages/web imports code from outside itself",
      "modules/messages/h.ts → @parley/server/src/domain/ids.ts: packages/web imports server code",
    ]);
  });
});
