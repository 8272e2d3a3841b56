import type { ConversationKind, ConversationStatus, MessageDirection, MessageType, SenderType } from "@parley/protocol/values";
import { sentimentLabelOf } from "../intelligence/sentiment.ts";

/** The dataset formats of `GET /exports/conversations.jsonl`. */
export const exportFormats = ["native", "openai", "sharegpt"] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** A message's sentiment: label and score in −1..1 (null when the message was not analysed). */
export interface ExportSentiment {
  label: "negative" | "neutral" | "positive";
  score: number;
}

/** A message as the export reads it. */
export interface ExportMessage {
  id: string;
  direction: MessageDirection;
  type: MessageType;
  senderType: SenderType;
  body: string | null;
  createdAt: Date;
  sentiment: ExportSentiment | null;
  /** `confidence` is null when the store kept only the intent's name. */
  intent: { name: string; confidence: number | null } | null;
}

/** A conversation with its messages in the export's time range, oldest first. */
export interface ExportConversation {
  id: string;
  inbox: { id: string; name: string };
  kind: ConversationKind;
  contactName: string | null;
  status: ConversationStatus;
  createdAt: Date;
  lastMessageAt: Date | null;
  messages: ExportMessage[];
}

/** How one line is written: the text redactor (identity when not redacting) and the system prompt's workspace. */
export interface LineContext {
  redact: boolean;
  /** Applied to every message text (and the contact's name when `redact`). */
  text: (text: string) => string;
  workspaceName: string;
}

// A reply is what the business sent; system notes (assignments and the like) answer nobody.
const isReply = (message: ExportMessage) => message.direction === "outbound" && message.senderType !== "system";

/**
 * Seconds from the oldest unanswered customer message to each reply that answers it (the first
 * outbound message after it); null on every other message. Indexed like `messages`.
 */
export function responseSeconds(messages: readonly ExportMessage[]): (number | null)[] {
  let waitingSince: Date | null = null;
  return messages.map((message) => {
    if (message.direction === "inbound") {
      waitingSince ??= message.createdAt;
      return null;
    }
    if (!isReply(message) || !waitingSince) return null;
    const seconds = Math.max(0, Math.round((message.createdAt.getTime() - waitingSince.getTime()) / 1000));
    waitingSince = null;
    return seconds;
  });
}

/** Parley's own line: the conversation, its messages with times, response times, sentiment and intent, and its final status. */
export function nativeLine(conversation: ExportConversation, context: LineContext) {
  const responses = responseSeconds(conversation.messages);
  const firstResponse = responses.find((seconds) => seconds !== null) ?? null;
  return {
    id: conversation.id,
    inbox: conversation.inbox,
    kind: conversation.kind,
    contact: { name: conversation.contactName === null ? null : context.redact ? "[NAME]" : conversation.contactName },
    status: conversation.status,
    created_at: conversation.createdAt.toISOString(),
    last_message_at: conversation.lastMessageAt?.toISOString() ?? null,
    first_response_seconds: firstResponse,
    messages: conversation.messages.map((message, index) => ({
      id: message.id,
      direction: message.direction,
      sender_type: message.senderType,
      type: message.type,
      text: message.body === null ? null : context.text(message.body),
      created_at: message.createdAt.toISOString(),
      response_seconds: responses[index] ?? null,
      sentiment: message.sentiment,
      intent: message.intent,
    })),
  };
}

interface Turn {
  speaker: "customer" | "agent";
  text: string;
}

/**
 * The conversation as alternating turns: consecutive texts of one side merged into one turn (one
 * per line), system notes and media without a caption left out, and trimmed so it starts with
 * the customer and ends with the agent. Empty when the agent never answered.
 */
export function chatTurns(conversation: ExportConversation, text: (text: string) => string): Turn[] {
  const turns: Turn[] = [];
  for (const message of conversation.messages) {
    if (message.senderType === "system" || !message.body?.trim()) continue;
    const speaker = message.direction === "inbound" ? "customer" : "agent";
    const last = turns[turns.length - 1];
    if (last?.speaker === speaker) last.text += `\n${text(message.body.trim())}`;
    else turns.push({ speaker, text: text(message.body.trim()) });
  }
  while (turns[0]?.speaker === "agent") turns.shift();
  while (turns.length > 0 && turns[turns.length - 1]!.speaker === "customer") turns.pop();
  return turns;
}

/** The system prompt of OpenAI lines. */
export const systemPrompt = (workspaceName: string) => `You are a customer service agent for ${workspaceName}. Reply in the customer's language.`;

/** OpenAI chat fine-tuning: `{messages: [{role, content}]}`, or null when the agent never answered. */
export function openaiLine(conversation: ExportConversation, context: LineContext) {
  const turns = chatTurns(conversation, context.text);
  if (turns.length === 0) return null;
  return {
    messages: [
      { role: "system" as const, content: systemPrompt(context.workspaceName) },
      ...turns.map((turn) => ({ role: turn.speaker === "customer" ? ("user" as const) : ("assistant" as const), content: turn.text })),
    ],
  };
}

/** ShareGPT: `{conversations: [{from: "human" | "gpt", value}]}`, or null when the agent never answered. */
export function sharegptLine(conversation: ExportConversation, context: LineContext) {
  const turns = chatTurns(conversation, context.text);
  if (turns.length === 0) return null;
  return { conversations: turns.map((turn) => ({ from: turn.speaker === "customer" ? ("human" as const) : ("gpt" as const), value: turn.text })) };
}

const writers = { native: nativeLine, openai: openaiLine, sharegpt: sharegptLine } satisfies Record<
  ExportFormat,
  (c: ExportConversation, x: LineContext) => object | null
>;

/** One JSONL line (with its newline) for `conversation` in `format`, or "" when the format skips it. */
export function datasetLine(format: ExportFormat, conversation: ExportConversation, context: LineContext): string {
  const line = writers[format](conversation, context);
  return line === null ? "" : `${JSON.stringify(line)}\n`;
}

/** A label for a bare sentiment score in −1..1 (an agent's correction keeps only the score), in the enrichment's band. */
export function sentimentFromScore(score: number): ExportSentiment {
  return { label: sentimentLabelOf(score), score };
}
