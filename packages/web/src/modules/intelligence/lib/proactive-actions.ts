import { t } from "../../../i18n/index.ts";

// The server words its proactive actions in English (domain/suggestions/proactive-actions.ts);
// the panel shows the ones it knows in the agent's language, and any other as it came.
const known: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^Reply now: the customer has waited (\d+) minutes$/, (match) => t("intelligence.proactive.replyNow", { minutes: match[1] })],
  [/^Apologise and offer a concrete fix/, () => t("intelligence.proactive.apologise")],
  [/^Share the price, stock and how to pay$/, () => t("intelligence.proactive.purchase")],
  [/^Write a knowledge-base article/, () => t("intelligence.proactive.writeArticle")],
  [/^Thank the customer and ask for a review$/, () => t("intelligence.proactive.thank")],
  [/^Assign this conversation$/, () => t("intelligence.proactive.assign")],
];

/** A proactive action from `POST /ai/suggestions` in the active language. */
export function proactiveActionText(action: string): string {
  for (const [pattern, translate] of known) {
    const match = pattern.exec(action);
    if (match) return translate(match);
  }
  return action;
}
