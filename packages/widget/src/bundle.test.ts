// @vitest-environment happy-dom
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUDGET = 15 * 1024; // gzipped bytes

describe("dist/widget.js", () => {
  let code = "";
  beforeAll(() => {
    execFileSync(process.execPath, ["build.mjs"], { cwd: pkg, stdio: "pipe" });
    code = readFileSync(join(pkg, "dist", "widget.js"), "utf8");
  });
  afterAll(() => void vi.unstubAllGlobals());

  it("fits the 15 KB gzipped budget", () => {
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1000); // sanity: the build produced the real thing
    expect(gzipped).toBeLessThanOrEqual(BUDGET);
  });

  it("is one self-contained IIFE with no module syntax or external requires", () => {
    expect(code).toMatch(/^("use strict";)?\(\(\)=>\{/);
    expect(code).not.toMatch(/\brequire\(|^import |^export /m);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included
    expect(/[^\x00-\x7f]/.test(code)).toBe(false); // ASCII: safe without a charset header
  });

  it("boots from a script tag when executed as a classic script", async () => {
    const fetch = vi.fn(async (url: string) => {
      expect(url).toBe("https://parley.example/api/v1/widget/wk_bundle/config");
      return Response.json({ name: "Bundle Inc", color: null, position: null, agents_online: false });
    });
    vi.stubGlobal("fetch", fetch);
    const tag = document.createElement("script");
    // A non-JS type keeps happy-dom from trying to download the src; the bundle runs below.
    tag.type = "text/x-inert";
    tag.setAttribute("src", "https://parley.example/widget.js");
    tag.dataset.widgetKey = "wk_bundle";
    document.head.append(tag);
    new Function(code)();
    expect(typeof window.Parley?.open).toBe("function");
    await vi.waitFor(() => expect(document.querySelector("parley-widget")).not.toBeNull());
    const root = document.querySelector("parley-widget")!.shadowRoot!;
    expect(root.querySelector("button.launcher")!.getAttribute("aria-label")).toBe("Open chat");
    window.Parley!.open();
    expect(root.querySelector("h2")!.textContent).toBe("Bundle Inc");
    expect(root.querySelector("form.pre")).not.toBeNull();
    expect(fetch).toHaveBeenCalled();
  });
});
