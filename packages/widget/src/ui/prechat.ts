import type { Profile } from "../protocol.ts";
import { h } from "./dom.ts";
import { t } from "../i18n.ts";

/** The optional form asking the visitor's name and email before the first message. */
export interface Prechat {
  el: HTMLFormElement;
  focus(): void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Builds the pre-chat form.
 *
 * @param required  name and email are mandatory and there is no Skip button.
 * @param onSubmit  starts the session; a rejection shows a generic error and re-enables the form.
 * @param onSkip    chat without giving details (only offered when not required).
 */
export function prechat(required: boolean, onSubmit: (profile: Profile) => Promise<void>, onSkip: () => void): Prechat {
  const field = (label: string, type: string, autocomplete: string) => {
    const input = h("input", { type, autocomplete, name: autocomplete });
    input.required = required;
    return [h("label", null, label + (required ? "" : t("optional")), input), input] as const;
  };
  const [nameLabel, name] = field(t("name"), "text", "name");
  const [emailLabel, email] = field(t("email"), "email", "email");
  const error = h("p", { class: "err", role: "alert" });
  const start = h("button", { type: "submit", class: "btn" }, t("start"));
  const skip = required ? null : h("button", { type: "button", class: "link" }, t("skip"));
  skip?.addEventListener("click", onSkip);
  const el = h("form", { class: "pre", novalidate: "" }, h("p", { class: "intro" }, t("intro")), nameLabel, emailLabel, error, start, skip);
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    const profile: Profile = { name: name.value.trim(), email: email.value.trim() };
    const problem = required && !profile.name ? t("needName") : (required || profile.email) && !EMAIL.test(profile.email!) ? t("needEmail") : "";
    error.textContent = problem;
    if (problem) return;
    if (!profile.name) delete profile.name;
    if (!profile.email) delete profile.email;
    start.disabled = true;
    try {
      await onSubmit(profile);
    } catch {
      error.textContent = t("startFailed");
    } finally {
      start.disabled = false;
    }
  });
  return { el, focus: () => name.focus() };
}
