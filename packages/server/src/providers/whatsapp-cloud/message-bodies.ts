/**
 * The JSON bodies of `POST {graph}/{phone_number_id}/messages`, as Meta's "Send messages"
 * reference documents them (developers.facebook.com/documentation/business-messaging/whatsapp/
 * messages/…: text, image, video, audio, document, sticker, template, reaction; "Mark messages
 * as read" and "Typing indicators"). Pure functions: no I/O.
 */

/** Media kinds the Cloud API sends, as Meta names the message `type`. */
export type CloudMediaKind = "image" | "video" | "audio" | "document" | "sticker";

/** Kinds that take a `caption` (Meta: image, video and document only). */
export const CAPTION_KINDS: ReadonlySet<CloudMediaKind> = new Set(["image", "video", "document"]);

/** A media object of a send: an uploaded media id, or a public https link Meta fetches. */
export type MediaSource = { id: string } | { link: string };

/** The media object of a send body (`image`, `video`, …). */
export interface CloudMediaObject {
  id?: string;
  link?: string;
  caption?: string;
  /** Documents only: the file name the recipient sees. */
  filename?: string;
  /** Audio only: send as a voice message (ogg/opus; transcription, "played" status). */
  voice?: true;
}

/** Common fields of every message send. */
interface SendBase {
  messaging_product: "whatsapp";
  recipient_type: "individual";
  /** The recipient's WhatsApp id: the phone number in international form without `+`. */
  to: string;
  /** Present when replying: the `wamid` of the quoted message. */
  context?: { message_id: string };
}

/** A send body of any type. */
export type SendMessageBody = SendBase &
  (
    | { type: "text"; text: { body: string; preview_url: boolean } }
    | { type: "image"; image: CloudMediaObject }
    | { type: "video"; video: CloudMediaObject }
    | { type: "audio"; audio: CloudMediaObject }
    | { type: "document"; document: CloudMediaObject }
    | { type: "sticker"; sticker: CloudMediaObject }
    | { type: "template"; template: CloudTemplate }
    | { type: "reaction"; reaction: { message_id: string; emoji: string } }
  );

/** A template to send: `components` carries the body's `{{1}}, {{2}}, …` values in order. */
export interface CloudTemplate {
  name: string;
  language: { code: string };
  components?: Array<{ type: "body"; parameters: Array<{ type: "text"; text: string }> }>;
}

/** What a send is addressed to: the recipient's WhatsApp id and, for a reply, the quoted `wamid`. */
export interface Addressing {
  to: string;
  replyTo?: string | null;
}

function base({ to, replyTo }: Addressing): SendBase {
  return replyTo
    ? { messaging_product: "whatsapp", recipient_type: "individual", to, context: { message_id: replyTo } }
    : { messaging_product: "whatsapp", recipient_type: "individual", to };
}

/**
 * A text message. `previewUrl` asks WhatsApp to render a link preview for the first URL; off by
 * default so an agent's message looks as typed.
 */
export function textBody(address: Addressing, body: string, previewUrl = false): SendMessageBody {
  return { ...base(address), type: "text", text: { body, preview_url: previewUrl } };
}

/** Options of a media message. */
export interface MediaOptions {
  /** Shown under image, video and document; refused for the other kinds. */
  caption?: string | null;
  /** Documents only; ignored for the other kinds, which Meta does not name. */
  filename?: string | null;
  /** Audio only: a voice message. */
  voice?: boolean;
}

/**
 * A media message by uploaded id or link. Only the fields Meta allows per kind are set.
 * @throws {RangeError} when a caption is given for audio or a sticker (Meta has nowhere to show it).
 */
export function mediaBody(address: Addressing, kind: CloudMediaKind, source: MediaSource, options: MediaOptions = {}): SendMessageBody {
  const media: CloudMediaObject = "id" in source ? { id: source.id } : { link: source.link };
  if (options.caption) {
    if (!CAPTION_KINDS.has(kind)) throw new RangeError(`WhatsApp cannot show a caption with ${kind === "audio" ? "an audio message" : "a sticker"}`);
    media.caption = options.caption;
  }
  if (kind === "document" && options.filename) media.filename = options.filename;
  if (kind === "audio" && options.voice) media.voice = true;
  return { ...base(address), type: kind, [kind]: media } as SendMessageBody;
}

/**
 * A template message. `variables` fill the body's `{{1}}, {{2}}, …` in order; with none, the
 * `components` array is left out (Meta refuses an empty parameter list).
 */
export function templateBody(address: Addressing, template: { name: string; language: string; variables: readonly string[] }): SendMessageBody {
  const cloud: CloudTemplate = { name: template.name, language: { code: template.language } };
  if (template.variables.length > 0) {
    cloud.components = [{ type: "body", parameters: template.variables.map((text) => ({ type: "text", text })) }];
  }
  return { ...base(address), type: "template", template: cloud };
}

/** A reaction to `messageId`; an empty `emoji` removes the reaction (Meta's reaction reference). */
export function reactionBody(address: Addressing, messageId: string, emoji: string): SendMessageBody {
  return { ...base({ to: address.to }), type: "reaction", reaction: { message_id: messageId, emoji } };
}

/** The body that marks a received message (and every earlier one) read. */
export interface ReadReceiptBody {
  messaging_product: "whatsapp";
  status: "read";
  message_id: string;
  typing_indicator?: { type: "text" };
}

/** Marks `messageId` read (blue ticks for the customer). */
export function readBody(messageId: string): ReadReceiptBody {
  return { messaging_product: "whatsapp", status: "read", message_id: messageId };
}

/**
 * Marks `messageId` read and shows "typing…" to the customer: Meta's typing indicator rides on
 * the read receipt and lasts up to 25 s or until the next message.
 */
export function typingBody(messageId: string): ReadReceiptBody {
  return { ...readBody(messageId), typing_indicator: { type: "text" } };
}
