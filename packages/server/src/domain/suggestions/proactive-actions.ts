/** What the proactive actions are decided from. */
export interface ProactiveSignals {
  /** How long the customer's unanswered turn has waited, in seconds; null when answered. */
  waitingSeconds: number | null;
  /** The latest message's intent name (purchase, support, information, complaint, compliment, general), when enriched. */
  intent: string | null;
  /** The latest message's sentiment score, −1..1, when enriched. */
  sentiment: number | null;
  assigned: boolean;
  hasSuggestion: boolean;
}

/** Waits beyond this many seconds call for a reply first. */
export const slowReplySeconds = 15 * 60;

/**
 * The seed's suggestProactiveActions as rules: short imperative hints for the agent, most
 * pressing first.
 */
export function proactiveActions(signals: ProactiveSignals): string[] {
  const actions: string[] = [];
  if (signals.waitingSeconds !== null && signals.waitingSeconds >= slowReplySeconds) {
    actions.push(`Reply now: the customer has waited ${Math.floor(signals.waitingSeconds / 60)} minutes`);
  }
  if (signals.intent === "complaint" || (signals.sentiment !== null && signals.sentiment <= -0.5)) {
    actions.push("Apologise and offer a concrete fix; escalate to a supervisor if needed");
  }
  if (signals.intent === "purchase") actions.push("Share the price, stock and how to pay");
  if (signals.intent === "support" && !signals.hasSuggestion) actions.push("Write a knowledge-base article for this question");
  if (signals.intent === "compliment") actions.push("Thank the customer and ask for a review");
  if (!signals.assigned) actions.push("Assign this conversation");
  return actions;
}
