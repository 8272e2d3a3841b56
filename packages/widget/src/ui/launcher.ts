import { h, icon } from "./dom.ts";
import { t } from "../i18n.ts";

/** The floating round button that opens and closes the chat window. */
export interface Launcher {
  el: HTMLButtonElement;
  /** Swaps icon and label; `aria-expanded` follows. */
  setOpen(open: boolean): void;
  /** Shows the unread badge (hidden at 0). */
  setUnread(count: number): void;
}

/** Builds the launcher. `controls` is the id of the window it opens (for aria-controls). */
export function launcher(controls: string, onClick: () => void): Launcher {
  const badge = h("span", { class: "badge", "aria-hidden": "true" });
  const el = h("button", { type: "button", class: "launcher", "aria-controls": controls }, icon("chat", 28), icon("close", 24), badge);
  el.addEventListener("click", onClick);
  let open = false;
  let unread = 0;
  const label = () => {
    el.setAttribute("aria-expanded", String(open));
    el.setAttribute("aria-label", open ? t("close") : unread === 1 ? t("openUnread1") : unread ? t("openUnread", { n: unread }) : t("open"));
  };
  badge.hidden = true;
  label();
  return {
    el,
    setOpen(value) {
      open = value;
      el.classList.toggle("open", value);
      label();
    },
    setUnread(count) {
      unread = count;
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
      label();
    },
  };
}
