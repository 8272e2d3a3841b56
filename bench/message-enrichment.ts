/**
 * The default enrichment engine's speed (issue 9, part 1): enriches the labelled chat fixture
 * (half Indonesian, half English) over and over, in-process, and reports messages per second and
 * milliseconds per message (mean and p99 over batches of the whole fixture). Goal: ≤ 2 ms per
 * message. Pure computation: no database.
 */
import { enrichText } from "../packages/server/src/domain/intelligence/enrich.ts";
import { chatMessages } from "../packages/server/src/domain/intelligence/fixtures/chat-messages.ts";

export interface MessageEnrichmentResult {
  messages: number;
  messages_per_second: number;
  ms_per_message: number;
  p99_ms_per_message: number;
  goal_ms_per_message: number;
}

export function measureMessageEnrichment({ messages }: { messages: number }): MessageEnrichmentResult {
  const texts = chatMessages.map((message) => message.text);
  // Warm-up: JIT and the lexicons' first use.
  for (const text of texts) enrichText(text, { lastLanguage: "ind", waitingSeconds: 120 });
  const rounds = Math.max(1, Math.ceil(messages / texts.length));
  const perMessage: number[] = [];
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    const roundStarted = process.hrtime.bigint();
    for (const text of texts) enrichText(text, { lastLanguage: "ind", waitingSeconds: 120 });
    perMessage.push(Number(process.hrtime.bigint() - roundStarted) / 1e6 / texts.length);
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const total = rounds * texts.length;
  perMessage.sort((a, b) => a - b);
  const round3 = (value: number) => Math.round(value * 1000) / 1000;
  return {
    messages: total,
    messages_per_second: Math.round((total / elapsedMs) * 1000),
    ms_per_message: round3(elapsedMs / total),
    p99_ms_per_message: round3(perMessage[Math.min(perMessage.length - 1, Math.floor(perMessage.length * 0.99))] ?? 0),
    goal_ms_per_message: 2,
  };
}
