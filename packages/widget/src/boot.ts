import type { FetchLike } from "./api.ts";
import { resolveSettings } from "./config.ts";
import type { ParleySettings } from "./config.ts";
import type { SocketConstructor } from "./realtime.ts";
import { Widget } from "./widget.ts";

/** `window.Parley`: lets the site open the chat from its own buttons. */
export interface ParleyApi {
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    Parley?: ParleyApi;
    ParleySettings?: ParleySettings;
  }
}

/** Test seams; the browser build passes none. */
export interface BootOptions {
  fetch?: FetchLike;
  WebSocket?: SocketConstructor;
  pollMs?: number;
  receiptDelayMs?: number;
}

/**
 * Starts the widget once per page: reads the script tag's data attributes and
 * `window.ParleySettings`, installs `window.Parley`, and mounts when the body exists.
 * Calls made to window.Parley before the widget is mounted are applied once it is.
 *
 * @returns the widget, or null when there is no widget key or the widget already runs.
 */
export function boot(script: HTMLScriptElement | null, options: BootOptions = {}): Widget | null {
  if (window.Parley) return null;
  const settings = resolveSettings(script, window.ParleySettings, location.href);
  if (!settings) {
    console.warn("Parley: no widget key (data-widget-key or window.ParleySettings.widgetKey)");
    return null;
  }
  const widget = new Widget({
    settings,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    WebSocket: options.WebSocket ?? (typeof WebSocket === "function" ? WebSocket : undefined),
    storage: () => localStorage,
    pollMs: options.pollMs,
    receiptDelayMs: options.receiptDelayMs,
  });
  window.Parley = {
    open: () => widget.open(),
    close: () => widget.close(),
    toggle: () => widget.toggle(),
  };
  const mount = () => void widget.mount();
  // An async script can run before <body> is parsed.
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
  return widget;
}
