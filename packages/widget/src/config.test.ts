// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { resolveSettings, socketUrl } from "./config.ts";
import { newClientMessageId } from "./ids.ts";

function tag(attrs: Record<string, string>): HTMLScriptElement {
  const el = document.createElement("script");
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

describe("resolveSettings", () => {
  it("reads the data attributes and derives the base URL from the script's src", () => {
    const s = resolveSettings(
      tag({
        src: "https://chat.acme.example/parley/widget.js?v=3",
        "data-widget-key": "wk_abc",
        "data-color": "#ff0055",
        "data-position": "left",
        "data-title": "Help",
        "data-require-name": "true",
      }),
      undefined,
      "https://shop.example/cart",
    );
    expect(s).toEqual({
      widgetKey: "wk_abc",
      baseUrl: "https://chat.acme.example/parley",
      color: "#ff0055",
      position: "left",
      title: "Help",
      requireName: true,
      locale: null,
    });
  });

  it("lets window.ParleySettings override, and ignores invalid positions", () => {
    const s = resolveSettings(
      tag({ src: "/widget.js", "data-widget-key": "wk_tag", "data-position": "middle" }),
      { widgetKey: "wk_global", baseUrl: "https://p.example/" },
      "https://shop.example/",
    );
    expect(s).toMatchObject({ widgetKey: "wk_global", baseUrl: "https://p.example", position: null, requireName: false });
    expect(resolveSettings(tag({ src: "/widget.js" }), undefined, "https://shop.example/")).toBeNull();
    expect(resolveSettings(null, { widgetKey: "wk" }, "https://shop.example/a/b")!.baseUrl).toBe("https://shop.example");
  });
});

describe("socketUrl", () => {
  it("uses wss for https and the host of the base URL", () => {
    expect(socketUrl("https://p.example:8443/sub", "/app/k1")).toBe("wss://p.example:8443/app/k1?protocol=7&client=parley-widget&version=1");
    expect(socketUrl("http://localhost:3000", "/app/k1")).toBe("ws://localhost:3000/app/k1?protocol=7&client=parley-widget&version=1");
  });
});

describe("newClientMessageId", () => {
  it("is a fresh UUID each time, also without crypto.randomUUID", () => {
    const a = newClientMessageId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      const b = newClientMessageId();
      expect(b).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b).not.toBe(newClientMessageId());
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});
