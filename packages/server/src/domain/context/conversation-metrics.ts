/** One message as the conversation metrics see it: who wrote and when (the message's own time). */
export interface TimedMessage {
  direction: "inbound" | "outbound";
  /** System notes (assignment, group events) count nowhere. */
  senderType: "agent" | "contact" | "system";
  at: Date;
}

/** The figures of a thread, times in whole seconds. */
export interface ConversationMetrics {
  messageCount: number;
  inboundCount: number;
  outboundCount: number;
  firstMessageAt: Date | null;
  lastMessageAt: Date | null;
  /** From the customer's first message to the first outbound reply after it; null until there is one. */
  firstResponseSeconds: number | null;
  /** Mean over every answered customer turn of (first message of the turn → first reply), rounded; null when none was answered. */
  averageResponseSeconds: number | null;
  /** The first message of the customer's unanswered turn, or null when the last word is ours. */
  waitingSince: Date | null;
}

/**
 * Counts, span, first-response and average response times of a thread (the seed's
 * calculateAverageResponseTime, measured per customer turn: consecutive inbound messages are one
 * question, timed from the first of them). `messages` must be oldest first.
 */
export function conversationMetrics(messages: readonly TimedMessage[]): ConversationMetrics {
  let inboundCount = 0;
  let outboundCount = 0;
  let turnStartedAt: Date | null = null;
  const responses: number[] = [];
  const counted = messages.filter((message) => message.senderType !== "system");
  for (const message of counted) {
    if (message.direction === "inbound") {
      inboundCount++;
      turnStartedAt ??= message.at;
      continue;
    }
    outboundCount++;
    if (turnStartedAt !== null) responses.push(message.at.getTime() - turnStartedAt.getTime());
    turnStartedAt = null;
  }
  const seconds = (ms: number) => Math.round(ms / 1000);
  return {
    messageCount: counted.length,
    inboundCount,
    outboundCount,
    firstMessageAt: counted[0]?.at ?? null,
    lastMessageAt: counted[counted.length - 1]?.at ?? null,
    firstResponseSeconds: responses.length > 0 ? seconds(responses[0]!) : null,
    averageResponseSeconds: responses.length > 0 ? seconds(responses.reduce((sum, ms) => sum + ms, 0) / responses.length) : null,
    waitingSince: turnStartedAt,
  };
}
