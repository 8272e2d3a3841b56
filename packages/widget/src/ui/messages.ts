import type { Entry } from "../store.ts";
import type { MessageStatus } from "../protocol.ts";
import { h, icon } from "./dom.ts";
import type { ICONS } from "./dom.ts";
import { clock, dayLabel } from "./format.ts";
import { attachment } from "./media.ts";
import { dictionaries, t, type WidgetMessageKey } from "../i18n.ts";

/** The scrolling list of message bubbles. */
export interface MessageList {
  el: HTMLElement;
  /** Re-renders from the store's entries; only changed entries get new DOM nodes. */
  render(entries: readonly Entry[]): void;
  /** Changes the text shown while there are no messages. */
  setEmpty(text: string): void;
}

const TICKS: Record<MessageStatus, [keyof typeof ICONS, WidgetMessageKey]> = {
  pending: ["clock", "pending"],
  sent: ["check", "sent"],
  delivered: ["checks", "delivered"],
  read: ["checks", "read"],
  played: ["checks", "read"],
  failed: ["alert", "failed"],
};

interface Row {
  entry: Entry;
  named: boolean;
  el: HTMLElement;
}

function tick(status: MessageStatus): HTMLElement {
  const [name, key] = TICKS[status];
  const label = t(key);
  return h("span", { class: `tick ${status}`, role: "img", "aria-label": label, title: label }, icon(name, 16));
}

/**
 * Builds the list. Visitor messages sit right in the brand colour with a status tick; agent
 * messages sit left with the agent's name on the first of a run. Bodies are text nodes only;
 * attachments render above their caption (media.ts).
 *
 * @param onRetry called with the client_message_id of a failed message whose Retry was clicked.
 * @param empty   text shown while there are no messages.
 * @param base    the server origin that attachment URLs are relative to.
 */
export function messageList(onRetry: (clientMessageId: string) => void, empty: string, base: string): MessageList {
  const el = h("div", { class: "list", tabindex: "0", "aria-label": t("messages") });
  const emptyEl = h("p", { class: "empty" }, empty);
  let rows = new Map<string, Row>();
  let lastKey = "";

  const row = (e: Entry, named: boolean): HTMLElement => {
    if (e.sender.type === "system") return h("div", { class: "note" }, e.body ?? "");
    const mine = e.direction === "inbound";
    const retry = mine && e.status === "failed" && e.id === null && e.client_message_id ? h("button", { type: "button", class: "retry" }, t("retry")) : null;
    if (retry) retry.addEventListener("click", () => onRetry(e.client_message_id!));
    return h(
      "div",
      { class: mine ? "row me" : "row" },
      named && h("div", { class: "who" }, e.sender.name || t("agent")),
      h(
        "div",
        { class: "bub", dir: "auto" },
        e.media && attachment(e.type, e.media, base),
        // Types the widget cannot show (locations, contacts, media not downloaded yet) get a
        // placeholder instead of vanishing.
        e.type === "text" || e.body || e.media
          ? e.body
          : h("i", null, t(`sent_${e.type}` in dictionaries.en ? (`sent_${e.type}` as WidgetMessageKey) : "sentOther")),
      ),
      h(
        "div",
        { class: "meta" },
        // An attachment may take a while to upload: say so, not only with the clock.
        e.id === null && e.media && e.status === "pending" && t("sending"),
        e.status === "failed" && e.error,
        clock(e.created_at),
        mine && tick(e.status),
        retry,
      ),
    );
  };

  return {
    el,
    setEmpty: (text) => void (emptyEl.textContent = text),
    render(entries) {
      // Follow new messages only if the visitor is already at the bottom (not reading history).
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      const next = new Map<string, Row>();
      const nodes: Node[] = [];
      let day = "";
      let prev: Entry | undefined;
      for (const e of entries) {
        const label = dayLabel(e.created_at);
        const newDay = !!label && label !== day;
        if (newDay) nodes.push(h("div", { class: "day" }, (day = label)));
        const named = e.direction === "outbound" && (newDay || prev?.direction !== "outbound" || prev.sender.name !== e.sender.name);
        let r = rows.get(e.key);
        if (!r || r.entry !== e || r.named !== named) r = { entry: e, named, el: row(e, named) };
        next.set(e.key, r);
        nodes.push(r.el);
        prev = e;
      }
      if (!entries.length) nodes.push(emptyEl);
      el.replaceChildren(...nodes);
      rows = next;
      const last = entries[entries.length - 1];
      const ownNew = !!last && last.key !== lastKey && last.direction === "inbound";
      lastKey = last?.key ?? "";
      if (atBottom || ownNew) el.scrollTop = el.scrollHeight;
    },
  };
}
