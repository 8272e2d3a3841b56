import { describe, expect, it } from "vitest";
import { enrichText } from "./enrich.ts";
import { chatMessages, type LabelledMessage } from "./fixtures/chat-messages.ts";

type Field = "language" | "sentiment" | "intent";

function predicted(message: LabelledMessage, field: Field): string {
  const enrichment = enrichText(message.text, { lastLanguage: message.language });
  return field === "language" ? enrichment.language : field === "sentiment" ? enrichment.sentiment.label : enrichment.intent.name;
}

/** Accuracy on the fixture, with the confusion matrix printed (rows: truth, columns: predicted). */
function evaluate(field: Field): number {
  const labels = [...new Set(chatMessages.map((message) => message[field]))].sort();
  const matrix = new Map(labels.map((truth) => [truth, new Map(labels.map((guess) => [guess, 0]))]));
  let right = 0;
  const wrong: string[] = [];
  for (const message of chatMessages) {
    const guess = predicted(message, field);
    const row = matrix.get(message[field])!;
    row.set(guess, (row.get(guess) ?? 0) + 1);
    if (guess === message[field]) right += 1;
    else wrong.push(`  ${message[field]} → ${guess}: ${message.text}`);
  }
  const accuracy = right / chatMessages.length;
  const columns = [...new Set([...labels, ...[...matrix.values()].flatMap((row) => [...row.keys()])])];
  const lines = [
    `${field}: ${(accuracy * 100).toFixed(1)} % right (${right}/${chatMessages.length}); rows truth, columns predicted`,
    ["".padEnd(12), ...columns.map((column) => column.padStart(12))].join(""),
    ...labels.map((truth) => [truth.padEnd(12), ...columns.map((column) => String(matrix.get(truth)!.get(column) ?? 0).padStart(12))].join("")),
  ];
  if (process.env.ENRICH_SHOW_ERRORS) lines.push(...wrong);
  console.log(lines.join("\n"));
  return accuracy;
}

describe("enrichment of chat messages (default engine)", () => {
  it("the fixture holds at least 200 messages, half Indonesian and half English", () => {
    expect(chatMessages.length).toBeGreaterThanOrEqual(200);
    expect(chatMessages.filter((message) => message.language === "ind").length).toBe(chatMessages.length / 2);
  });

  it("tells Indonesian from English for at least 95 % of the messages", () => {
    expect(evaluate("language")).toBeGreaterThanOrEqual(0.95);
  });

  it("labels the sentiment of at least 80 % of the messages right", () => {
    expect(evaluate("sentiment")).toBeGreaterThanOrEqual(0.8);
  });

  it("finds the intent of at least 85 % of the messages", () => {
    expect(evaluate("intent")).toBeGreaterThanOrEqual(0.85);
  });
});
