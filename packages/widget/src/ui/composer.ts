import { h, icon } from "./dom.ts";

/** The message input at the bottom of the window. */
export interface Composer {
  el: HTMLFormElement;
  focus(): void;
}

/**
 * Builds the composer: Enter sends, Shift+Enter inserts a newline, the textarea grows up to
 * ~5 lines. `onSend` gets the raw text (the chat trims it); `onInput` fires on each edit.
 */
export function composer(onSend: (text: string) => void, onInput: () => void): Composer {
  const input = h("textarea", { rows: "1", dir: "auto", placeholder: "Write a message…", "aria-label": "Message", maxlength: "4000" });
  const button = h("button", { type: "submit", class: "send", "aria-label": "Send message" }, icon("send", 20));
  const el = h("form", { class: "comp" }, input, button);
  const sync = () => {
    button.disabled = !input.value.trim();
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  };
  const submit = () => {
    if (!input.value.trim()) return;
    onSend(input.value);
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
  return { el, focus: () => input.focus() };
}
