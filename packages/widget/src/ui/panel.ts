import { h, icon } from "./dom.ts";
import { t } from "../i18n.ts";

/** Header availability: online, away, or the socket is reconnecting. */
export type Availability = "on" | "away" | "re";

/** The chat window: header (title, availability, close) above a swappable body. */
export interface Panel {
  el: HTMLElement;
  setTitle(title: string): void;
  setStatus(kind: Availability, text: string): void;
  setOpen(open: boolean): void;
  /** Replaces the body's content (pre-chat form or conversation). */
  show(...content: Node[]): void;
}

/** Builds the window; `id` is referenced by the launcher's aria-controls. */
export function panel(id: string, onClose: () => void): Panel {
  const title = h("h2", { id: `${id}-t` });
  const status = h("span", { class: "st-text" });
  const statusLine = h("div", { class: "st" }, h("span", { class: "dot", "aria-hidden": "true" }), status);
  const close = h("button", { type: "button", class: "x", "aria-label": t("close") }, icon("close", 20));
  close.addEventListener("click", onClose);
  const body = h("div", { class: "body" });
  const el = h(
    "div",
    { id, class: "win", role: "dialog", "aria-labelledby": `${id}-t`, "aria-hidden": "true" },
    h("header", null, h("div", { class: "ttl" }, title, statusLine), close),
    body,
  );
  return {
    el,
    setTitle: (text) => void (title.textContent = text),
    setStatus(kind, text) {
      statusLine.className = `st ${kind}`;
      status.textContent = text;
    },
    setOpen(open) {
      el.classList.toggle("open", open);
      el.setAttribute("aria-hidden", String(!open));
    },
    show: (...content) => body.replaceChildren(...content),
  };
}
