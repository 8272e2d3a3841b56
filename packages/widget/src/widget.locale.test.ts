// @vitest-environment happy-dom
/** The widget speaks the inbox's language, else the visitor's browser's (issue 9). */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boot } from "./boot.ts";
import { setLocale } from "./i18n.ts";
import { FakeBackend } from "./testing/fake-backend.ts";
import type { Widget } from "./widget.ts";

const BASE = "https://parley.example";
let widget: Widget | null = null;
let backend: FakeBackend;

function start(attrs: Record<string, string> = {}): ShadowRoot {
  const tag = document.createElement("script");
  for (const [name, value] of Object.entries({ src: `${BASE}/widget.js`, "data-widget-key": "wk_test", ...attrs })) tag.setAttribute(name, value);
  widget = boot(tag, { fetch: backend.fetch });
  return widget!.host.shadowRoot!;
}

/** Every word a visitor sees or hears in the open, empty widget. */
function words(root: ShadowRoot): string {
  const labels = [...root.querySelectorAll("[aria-label],[placeholder]")].map(
    (el) => `${el.getAttribute("aria-label") ?? ""} ${el.getAttribute("placeholder") ?? ""}`,
  );
  return `${root.querySelector(".pw")!.textContent} ${labels.join(" ")}`;
}

beforeEach(() => {
  backend = new FakeBackend(BASE);
  localStorage.clear();
  delete window.Parley;
});

afterEach(() => {
  widget?.destroy();
  widget = null;
  setLocale("en");
  vi.unstubAllGlobals();
});

describe("the widget's language", () => {
  it("is Indonesian when the inbox says so, even in an English browser", async () => {
    backend.config = { ...backend.config, locale: "id", agents_online: false };
    const root = start();
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    expect(root.querySelector("button.launcher")!.getAttribute("aria-label")).toBe("Buka chat");
    widget!.open();
    const text = words(root);
    expect(text).toContain("Mulai chat");
    expect(text).toContain("Sedang tidak di tempat");
    for (const english of ["Open chat", "Start chat", "Name", "Skip", "Away", "Send", "Message"]) expect(text).not.toContain(english);
  });

  it("follows an Indonesian browser when the inbox leaves it to the visitor", async () => {
    vi.stubGlobal("navigator", { ...navigator, language: "id-ID", languages: ["id-ID", "en-US"] });
    backend.config = { ...backend.config, locale: "auto" };
    const root = start();
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    expect(root.querySelector("button.launcher")!.getAttribute("aria-label")).toBe("Buka chat");
    widget!.open();
    expect(root.querySelector("form.pre button[type=submit]")!.textContent).toBe("Mulai chat");
  });

  it("stays English for an English inbox, and the site's data-locale wins over both", async () => {
    backend.config = { ...backend.config, locale: "en" };
    let root = start();
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    expect(root.querySelector("button.launcher")!.getAttribute("aria-label")).toBe("Open chat");
    widget!.destroy();
    delete window.Parley;
    root = start({ "data-locale": "id" });
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    expect(root.querySelector("button.launcher")!.getAttribute("aria-label")).toBe("Buka chat");
  });
});
