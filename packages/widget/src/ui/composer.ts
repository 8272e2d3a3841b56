import { h, icon } from "./dom.ts";
import { t } from "../i18n.ts";

/** The message input at the bottom of the window. */
export interface Composer {
  el: HTMLFormElement;
  focus(): void;
  /** Shows a problem with the file just picked above the input; "" hides it. */
  setError(text: string): void;
}

/** The files the paperclip offers: what the agents' inboxes can show and play. */
const ACCEPT = "image/*,application/pdf,audio/*,video/*";

/**
 * Builds the composer: Enter sends, Shift+Enter inserts a newline, the textarea grows up to
 * ~5 lines. `onSend` gets the raw text (the chat trims it); `onInput` fires on each edit;
 * `onFile` gets the file picked with the paperclip button.
 */
export function composer(onSend: (text: string) => void, onInput: () => void, onFile: (file: File) => void): Composer {
  const input = h("textarea", { rows: "1", dir: "auto", placeholder: t("placeholder"), "aria-label": t("message"), maxlength: "4000" });
  const button = h("button", { type: "submit", class: "send", "aria-label": t("send") }, icon("send", 20));
  const picker = h("input", { type: "file", accept: ACCEPT, hidden: "", tabindex: "-1", "aria-hidden": "true" });
  const clip = h("button", { type: "button", class: "clip", "aria-label": t("attach") }, icon("clip", 20));
  const error = h("p", { class: "err", role: "alert" });
  const el = h("form", { class: "comp" }, error, clip, picker, input, button);
  clip.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const file = picker.files?.[0];
    // Cleared so that picking the same file again (after a refusal) fires change again.
    picker.value = "";
    if (file) onFile(file);
  });
  const sync = () => {
    button.disabled = !input.value.trim();
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  };
  const submit = () => {
    if (!input.value.trim()) return;
    onSend(input.value);
    error.textContent = "";
    input.value = "";
    sync();
    input.focus();
  };
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (e) => {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    sync();
    if (input.value) onInput();
  });
  sync();
  return { el, focus: () => input.focus(), setError: (text) => void (error.textContent = text) };
}
