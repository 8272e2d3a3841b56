/**
 * Turns a Meta `messages` webhook delivery into Parley's normalised inbound events
 * (domain/providers/inbound.ts). Every message becomes an event, whatever its type: a type Parley
 * cannot show becomes an "unsupported" placeholder with a description, never dropped.
 * Schemas and their sources: webhook-schema.ts.
 */
import type { InboundEvent, InboundMessage, InboundStatus } from "../../domain/providers/inbound.ts";
import { metaErrorReason } from "./errors.ts";
import {
  type WebhookErrorObject,
  type WebhookMessage,
  type WebhookMessagesValue,
  type WebhookStatus,
  webhookEnvelopeSchema,
  webhookMessagesValueSchema,
} from "./webhook-schema.ts";

export * from "./webhook-schema.ts";

/** A parsed Cloud API event: the domain's own normalised event. */
export type CloudInboundEvent = InboundEvent;

/** An error Meta reported about the number or the delivery itself (`value.errors`): log it. */
export interface WebhookReportedError {
  code: string | null;
  title: string;
  details: string | null;
}

/** One `messages` change of a delivery. */
export interface ParsedWebhookChange {
  /** The WhatsApp Business Account id (`entry[].id`). */
  wabaId: string;
  /** Which business number the change is for: selects the inbox. */
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  /** Messages then statuses, each in Meta's order. */
  events: CloudInboundEvent[];
  errors: WebhookReportedError[];
  /** What was skipped and why (statuses of a kind Parley does not track, e.g. `deleted`). */
  ignored: string[];
}

/** A delivery that is not a Meta `messages` webhook as documented; `issues` name each failing path. */
export class WebhookPayloadError extends Error {
  constructor(readonly issues: string[]) {
    super(`Malformed WhatsApp Cloud API webhook payload: ${issues.slice(0, 5).join("; ")}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ""}`);
    this.name = "WebhookPayloadError";
  }
}

function issuesOf(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, prefix: string): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

function toJson(input: unknown): unknown {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) return input;
  try {
    return JSON.parse(typeof input === "string" ? input : Buffer.from(input).toString("utf8"));
  } catch {
    throw new WebhookPayloadError(["the body is not JSON"]);
  }
}

/**
 * Parses a delivery (parsed JSON, or the raw body as a string or bytes) into one entry per change
 * with `field: "messages"`; changes of other fields (template status, account updates…) are
 * skipped. Pure: no I/O.
 * @throws {WebhookPayloadError} when the delivery is not shaped as Meta documents, listing each
 *   failing path; nothing of a malformed delivery is returned.
 */
export function parseWebhookPayload(input: unknown): ParsedWebhookChange[] {
  const envelope = webhookEnvelopeSchema.safeParse(toJson(input));
  if (!envelope.success) throw new WebhookPayloadError(issuesOf(envelope.error, ""));
  const issues: string[] = [];
  const changes: ParsedWebhookChange[] = [];
  envelope.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const value = webhookMessagesValueSchema.safeParse(change.value);
      if (!value.success) issues.push(...issuesOf(value.error, `entry.${e}.changes.${c}.value`));
      else changes.push(toChange(entry.id, value.data));
    });
  });
  if (issues.length > 0) throw new WebhookPayloadError(issues);
  return changes;
}

function toChange(wabaId: string, value: WebhookMessagesValue): ParsedWebhookChange {
  const names = new Map((value.contacts ?? []).filter((c) => c.wa_id).map((c) => [c.wa_id as string, c.profile?.name ?? null]));
  const ignored: string[] = [];
  const statuses = (value.statuses ?? []).flatMap((status) => {
    const event = toStatus(status);
    if (!event) ignored.push(`status "${status.status}" of ${status.id}`);
    return event ? [event] : [];
  });
  return {
    wabaId,
    phoneNumberId: value.metadata.phone_number_id,
    displayPhoneNumber: value.metadata.display_phone_number ?? null,
    events: [...(value.messages ?? []).map((message) => toMessage(message, names.get(message.from) ?? null)), ...statuses],
    errors: (value.errors ?? []).map(toReportedError),
    ignored,
  };
}

const at = (timestamp: string | number) => new Date(Number(timestamp) * 1000);
const errorCode = (error: WebhookErrorObject) => (error.code === undefined ? null : String(error.code));

function toReportedError(error: WebhookErrorObject): WebhookReportedError {
  return { code: errorCode(error), title: error.title ?? error.message ?? "Unknown error", details: error.error_data?.details ?? null };
}

const statusNames = { sent: "sent", delivered: "delivered", read: "read", played: "played", failed: "failed" } as const;

function toStatus(status: WebhookStatus): InboundStatus | null {
  const name = statusNames[status.status as keyof typeof statusNames];
  if (!name) return null;
  const first = status.errors?.[0];
  const error =
    name !== "failed"
      ? null
      : first
        ? { code: errorCode(first), reason: metaErrorReason(first.title ?? first.message, first.error_data?.details) }
        : { code: null, reason: "WhatsApp reported the message as failed without a reason" };
  return { kind: "status", providerMessageId: status.id, status: name, at: at(status.timestamp), error };
}

/** The parts of a message that depend on its type. */
type Content = Partial<Pick<InboundMessage, "body" | "media" | "location" | "contacts" | "replyToProviderMessageId" | "interactiveReplyId">> & {
  type: InboundMessage["type"];
};

const unsupported = (body: string): Content => ({ type: "unsupported", body });

function media(type: InboundMessage["type"], object: NonNullable<WebhookMessage["image"]>): Content {
  return {
    type,
    body: object.caption || null,
    media: { providerMediaId: object.id, mime: object.mime_type ?? null, sha256: object.sha256 ?? null, filename: object.filename ?? null },
  };
}

/** The content object of a message's type; the schema guarantees it (webhook-schema.ts, CONTENT_REQUIRED). */
function content<T>(object: T | undefined, type: string): T {
  if (object === undefined) throw new WebhookPayloadError([`a ${type} message needs its "${type}" object`]);
  return object;
}

const contentByType: Record<string, (message: WebhookMessage) => Content> = {
  text: (m) => ({ type: "text", body: content(m.text, "text").body }),
  image: (m) => media("image", content(m.image, "image")),
  video: (m) => media("video", content(m.video, "video")),
  audio: (m) => {
    const audio = content(m.audio, "audio");
    return media(audio.voice ? "voice" : "audio", audio);
  },
  document: (m) => media("document", content(m.document, "document")),
  sticker: (m) => media("sticker", content(m.sticker, "sticker")),
  location: (m) => {
    const l = content(m.location, "location");
    return { type: "location", location: { latitude: l.latitude, longitude: l.longitude, name: l.name ?? null, address: l.address ?? null } };
  },
  contacts: (m) => ({
    type: "contact",
    contacts: content(m.contacts, "contacts").map((card) => ({
      name: card.name?.formatted_name || [card.name?.first_name, card.name?.last_name].filter(Boolean).join(" ") || "Unnamed contact",
      phones: (card.phones ?? []).flatMap((p) => (p.wa_id ? [`+${p.wa_id}`] : p.phone ? [p.phone] : [])),
    })),
  }),
  reaction: (m) => {
    const r = content(m.reaction, "reaction");
    return { type: "reaction", body: r.emoji || null, replyToProviderMessageId: r.message_id };
  },
  interactive: (m) => {
    const i = content(m.interactive, "interactive");
    const reply = i.type === "button_reply" ? i.button_reply : i.type === "list_reply" ? i.list_reply : undefined;
    return reply ? { type: "text", body: reply.title, interactiveReplyId: reply.id } : unsupported(`Unsupported message type: interactive ${i.type}`);
  },
  button: (m) => {
    const b = content(m.button, "button");
    return { type: "text", body: b.text, interactiveReplyId: b.payload ?? null };
  },
  system: (m) => unsupported(m.system?.body ? `System message: ${m.system.body}` : "Unsupported message type: system"),
  unsupported: (m) => unsupported(`Unsupported message type: ${m.unsupported?.type ?? "unknown"}`),
};

function toMessage(message: WebhookMessage, profileName: string | null): InboundMessage {
  const content = (contentByType[message.type] ?? ((m: WebhookMessage) => unsupported(`Unsupported message type: ${m.type}`)))(message);
  return {
    kind: "message",
    providerMessageId: message.id,
    from: { phone: message.from, name: profileName },
    sentAt: at(message.timestamp),
    type: content.type,
    body: content.body ?? null,
    media: content.media ?? null,
    location: content.location ?? null,
    contacts: content.contacts ?? null,
    replyToProviderMessageId: content.replyToProviderMessageId ?? message.context?.id ?? null,
    interactiveReplyId: content.interactiveReplyId ?? null,
  };
}
