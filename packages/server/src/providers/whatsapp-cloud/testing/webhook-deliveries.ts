/**
 * Builders of webhook deliveries shaped as Meta sends them (Meta's messages webhook reference and
 * its payload examples), for tests: customer messages of every type, statuses (sent, delivered,
 * read, failed with errors) and Meta's signature header. Bodies include fields Parley ignores
 * (pricing, conversation, media `url`) so parsers are tested against the real shape.
 */
import { createHash, randomBytes } from "node:crypto";
import { signWebhookBody } from "../webhook-signature.ts";
import { metaErrors } from "./meta-errors.ts";

type Json = Record<string, unknown>;

/** Where a delivery comes from: the business account and number. */
export interface DeliveryTarget {
  wabaId?: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
}

/** The customer who writes. `waId` is the phone number, digits only. */
export interface Customer {
  waId: string;
  /** Profile name; null leaves `contacts` out, as Meta does for some system messages. */
  name?: string | null;
}

/** A message object as it appears in `value.messages[]`, built by {@link inbound}. */
export type MessageContent = { type: string } & Json;

/** A fresh `wamid…`. */
export const newWamid = () => `wamid.${randomBytes(24).toString("base64url")}`;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));
/** Meta's webhook `sha256` of media bytes: base64. */
export const webhookSha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

interface MediaInput {
  id: string;
  mime?: string;
  sha256?: string;
  caption?: string;
}
const media = (input: MediaInput, defaultMime: string, extra: Json = {}) => ({
  mime_type: input.mime ?? defaultMime,
  sha256: input.sha256 ?? randomBytes(32).toString("base64"),
  id: input.id,
  url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${input.id}`,
  ...(input.caption === undefined ? {} : { caption: input.caption }),
  ...extra,
});

/** The content of each inbound message type, as Meta writes it. */
export const inbound = {
  text: (body: string): MessageContent => ({ type: "text", text: { body } }),
  image: (input: MediaInput): MessageContent => ({ type: "image", image: media(input, "image/jpeg") }),
  video: (input: MediaInput): MessageContent => ({ type: "video", video: media(input, "video/mp4") }),
  audio: (input: MediaInput): MessageContent => ({ type: "audio", audio: media(input, "audio/mpeg", { voice: false }) }),
  /** A voice note recorded in WhatsApp: audio, ogg/opus, `voice: true`. */
  voice: (input: MediaInput): MessageContent => ({ type: "audio", audio: media(input, "audio/ogg; codecs=opus", { voice: true }) }),
  document: (input: MediaInput & { filename: string }): MessageContent => ({
    type: "document",
    document: media(input, "application/pdf", { filename: input.filename }),
  }),
  sticker: (input: MediaInput & { animated?: boolean }): MessageContent => ({
    type: "sticker",
    sticker: media(input, "image/webp", { animated: input.animated ?? false }),
  }),
  location: (input: { latitude: number; longitude: number; name?: string; address?: string }): MessageContent => ({ type: "location", location: { ...input } }),
  contacts: (cards: Array<{ formattedName: string; phones: Array<{ phone: string; waId?: string }> }>): MessageContent => ({
    type: "contacts",
    contacts: cards.map((card) => ({
      name: { formatted_name: card.formattedName, first_name: card.formattedName.split(" ")[0] },
      phones: card.phones.map((p) => ({ phone: p.phone, type: "CELL", ...(p.waId ? { wa_id: p.waId } : {}) })),
    })),
  }),
  /** `emoji: ""` is how Meta reports a removed reaction. */
  reaction: (messageId: string, emoji: string): MessageContent => ({ type: "reaction", reaction: { message_id: messageId, emoji } }),
  buttonReply: (id: string, title: string): MessageContent => ({ type: "interactive", interactive: { type: "button_reply", button_reply: { id, title } } }),
  listReply: (id: string, title: string, description?: string): MessageContent => ({
    type: "interactive",
    interactive: { type: "list_reply", list_reply: { id, title, ...(description ? { description } : {}) } },
  }),
  /** A tap on a template's quick-reply button. */
  templateButton: (text: string, payload: string): MessageContent => ({ type: "button", button: { text, payload } }),
  /** What Meta sends for a type the Cloud API does not support (`innerType` e.g. "edit", "poll"). */
  unsupported: (innerType = "edit"): MessageContent => ({
    type: "unsupported",
    unsupported: { type: innerType },
    errors: [
      { code: 131051, title: "Message type unknown", message: "Message type unknown", error_data: { details: "Message type is currently not supported." } },
    ],
  }),
  unknown: (): MessageContent => ({
    type: "unknown",
    errors: [
      { code: 131051, title: "Message type unknown", message: "Message type unknown", error_data: { details: "Message type is currently not supported." } },
    ],
  }),
  system: (body: string): MessageContent => ({ type: "system", system: { body, type: "user_changed_number", new_wa_id: "16505550000" } }),
  order: (): MessageContent => ({
    type: "order",
    order: { catalog_id: "1234", text: "Please hurry", product_items: [{ product_retailer_id: "sku-1", quantity: 2, item_price: 10, currency: "USD" }] },
  }),
  requestWelcome: (): MessageContent => ({ type: "request_welcome" }),
};

/** Options of one inbound message: its id, time (seconds), and the message it quotes. */
export interface MessageOptions {
  id?: string;
  timestamp?: string;
  /** The quoted message (`context.id`). */
  replyTo?: string;
}

function envelope(target: DeliveryTarget, value: Json): Json {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: target.wabaId ?? "102290129340398",
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: target.displayPhoneNumber ?? "15550783881", phone_number_id: target.phoneNumberId ?? "106540352242922" },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

/** A delivery of one or more messages from `customer`. */
export function messagesDelivery(customer: Customer, messages: Array<MessageContent & { options?: MessageOptions }>, target: DeliveryTarget = {}): Json {
  return envelope(target, {
    ...(customer.name === null ? {} : { contacts: [{ profile: { name: customer.name ?? "Sheena Nelson" }, wa_id: customer.waId }] }),
    messages: messages.map(({ options = {}, ...content }) => ({
      ...(options.replyTo ? { context: { from: target.displayPhoneNumber ?? "15550783881", id: options.replyTo } } : {}),
      from: customer.waId,
      id: options.id ?? newWamid(),
      timestamp: options.timestamp ?? nowSeconds(),
      ...content,
    })),
  });
}

/** A delivery of one message from `customer`. */
export function messageDelivery(customer: Customer, content: MessageContent, options: MessageOptions = {}, target: DeliveryTarget = {}): Json {
  return messagesDelivery(customer, [{ ...content, options }], target);
}

/** One status of a message the business sent. `errorCode` (failed only) takes Meta's title and details. */
export interface StatusInput {
  id: string;
  status: "sent" | "delivered" | "read" | "played" | "failed" | (string & {});
  recipientId: string;
  timestamp?: string;
  errorCode?: number;
}

function statusObject(input: StatusInput): Json {
  const base: Json = { id: input.id, status: input.status, timestamp: input.timestamp ?? nowSeconds(), recipient_id: input.recipientId };
  if (input.status === "failed") {
    const code = input.errorCode ?? 131026;
    const info = metaErrors[code] ?? { title: "Error", details: "The message failed." };
    return { ...base, errors: [{ code, title: info.title, message: info.title, error_data: { details: info.details } }] };
  }
  return {
    ...base,
    conversation: { id: randomBytes(16).toString("hex"), origin: { type: "service" } },
    pricing: { billable: true, pricing_model: "PMP", category: "service", type: "regular" },
  };
}

/** A delivery of statuses (Meta batches several; order as given, which may be out of order on purpose). */
export function statusesDelivery(statuses: StatusInput[], target: DeliveryTarget = {}): Json {
  return envelope(target, { statuses: statuses.map(statusObject) });
}

/** A delivery carrying only `value.errors` (a problem with the number or the webhook itself). */
export function errorsDelivery(errors: Array<{ code: number; title: string; details?: string }>, target: DeliveryTarget = {}): Json {
  return envelope(target, {
    errors: errors.map((e) => ({ code: e.code, title: e.title, message: e.title, error_data: { details: e.details ?? e.title } })),
  });
}

/** The `X-Hub-Signature-256` value Meta sends with `body` (the exact string posted). */
export function signDelivery(appSecret: string, body: string): string {
  return signWebhookBody(appSecret, body);
}
