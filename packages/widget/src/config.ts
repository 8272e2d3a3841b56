/** `window.ParleySettings`: the alternative to data attributes on the script tag. */
export interface ParleySettings {
  widgetKey?: string;
  color?: string;
  position?: "left" | "right";
  baseUrl?: string;
  title?: string;
  requireName?: boolean;
  /** The widget's language (`en` or `id`), over the inbox's setting and the visitor's browser. */
  locale?: string;
}

/**
 * Resolved embedding options. `color`, `position` and `title` are null when the site did not
 * set them, so the inbox's values from `/config` apply.
 */
export interface Settings {
  widgetKey: string;
  /** Server base URL without a trailing slash, e.g. "https://parley.example". */
  baseUrl: string;
  color: string | null;
  position: "left" | "right" | null;
  title: string | null;
  /** Ask name and email before the first message, with no way to skip. */
  requireName: boolean;
  /** The site's choice of language (`data-locale`), or null to follow the inbox and the browser. */
  locale: "en" | "id" | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

function language(value: unknown): "en" | "id" | null {
  return value === "en" || value === "id" ? value : null;
}

function side(value: unknown): "left" | "right" | null {
  return value === "left" || value === "right" ? value : null;
}

/**
 * Merges `window.ParleySettings` over the script tag's data attributes. The base URL defaults
 * to the folder the script was loaded from (so `https://x.example/widget.js` gives
 * `https://x.example`), else the page's origin.
 *
 * @param script the widget's own `<script>` element, if known.
 * @param global `window.ParleySettings`, if set.
 * @param pageUrl `location.href`, for resolving relative URLs.
 * @returns null when no widget key is given anywhere (nothing to show).
 */
export function resolveSettings(script: HTMLScriptElement | null, global: ParleySettings | undefined, pageUrl: string): Settings | null {
  const data = script?.dataset ?? {};
  const g = global ?? {};
  const widgetKey = text(g.widgetKey) ?? text(data.widgetKey);
  if (!widgetKey) return null;
  let baseUrl = text(g.baseUrl);
  if (!baseUrl) {
    const src = script?.getAttribute("src");
    baseUrl = src ? new URL(".", new URL(src, pageUrl)).href : new URL(pageUrl).origin;
  }
  return {
    widgetKey,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    color: text(g.color) ?? text(data.color),
    position: side(g.position) ?? side(data.position),
    title: text(g.title) ?? text(data.title),
    requireName: g.requireName ?? data.requireName === "true",
    locale: language(g.locale) ?? language(data.locale),
  };
}

/** The WebSocket URL for a `ws_path` on the server: `ws(s)://{host}{wsPath}?protocol=7&...`. */
export function socketUrl(baseUrl: string, wsPath: string): string {
  const base = new URL(baseUrl);
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}${wsPath}?protocol=7&client=parley-widget&version=1`;
}
