/**
 * whatsapp-web.js messages as the engine port's `EngineMessage`: every `MessageTypes` value
 * (`index.d.ts`, v1.34) has a row in `messageTypeTable`, and a type added by a later version
 * falls back to an `unsupported` placeholder, so no message is dropped. JIDs come out in
 * Parley's form (`@c.us` → `@s.whatsapp.net`, jid.ts).
 */
import type { MessageTypes } from "whatsapp-web.js";
import type { EngineMessage } from "../../../domain/whatsapp-web/engine.ts";
import { isGroupJid, normalizePersonJid } from "../../../domain/whatsapp-web/jid.ts";
import type { WhatsappWebJsMessage } from "./client.ts";

type Mapping = Pick<EngineMessage, "type"> & {
  /** The body shown instead of the message's own (`unsupported` placeholders). */
  placeholder?: (message: WhatsappWebJsMessage) => string;
};

const unsupported = (what: string): Mapping => ({ type: "unsupported", placeholder: () => `Unsupported WhatsApp message: ${what}` });

/** Each whatsapp-web.js message type as Parley stores it. */
export const messageTypeTable = {
  chat: { type: "text" },
  image: { type: "image" },
  album: unsupported("album"),
  video: { type: "video" },
  audio: { type: "audio" },
  ptt: { type: "voice" },
  document: { type: "document" },
  sticker: { type: "sticker" },
  location: { type: "location" },
  vcard: { type: "contact" },
  multi_vcard: { type: "contact" },
  // A message deleted for everyone, as history returns it: the text is gone.
  revoked: { type: "text", placeholder: () => "" },
  // Reactions come through `message_reaction` (reaction.ts); one listed in history is shown as its emoji.
  reaction: { type: "reaction" },
  poll_creation: { type: "unsupported", placeholder: (message) => `📊 Poll: ${message.pollName || message.body}` },
  // The customer's choice on a list or button message: its title is the body.
  list_response: { type: "text" },
  buttons_response: { type: "text" },
  template_button_reply: { type: "text" },
  order: unsupported("order"),
  product: unsupported("product"),
  payment: unsupported("payment"),
  unknown: unsupported("unknown"),
  groups_v4_invite: unsupported("group invitation"),
  list: unsupported("list"),
  broadcast_notification: unsupported("broadcast notification"),
  call_log: unsupported("call"),
  ciphertext: unsupported("waiting for this message"),
  debug: unsupported("debug"),
  e2e_notification: unsupported("security code changed"),
  gp2: unsupported("group notification"),
  group_notification: unsupported("group notification"),
  hsm: unsupported("template"),
  interactive: unsupported("interactive"),
  native_flow: unsupported("interactive"),
  notification: unsupported("notification"),
  notification_template: unsupported("notification"),
  oversized: unsupported("too large to show"),
  protocol: unsupported("protocol"),
  scheduled_event_creation: { type: "unsupported", placeholder: (message) => `📅 Event: ${message.body}` },
} satisfies Record<`${MessageTypes}`, Mapping>;

/** The row of `type`, or an `unsupported` placeholder for a type this table does not know. */
export function mappingOf(type: string): Mapping {
  return (messageTypeTable as Record<string, Mapping>)[type] ?? unsupported(type);
}

/** A JID the library wrote, in Parley's form; null for what is neither a person nor a group (`status@broadcast`, newsletters). */
export function parleyJidOf(jid: string): string | null {
  return isGroupJid(jid) ? jid : normalizePersonJid(jid);
}

/** A Parley JID as whatsapp-web.js wants it (`@s.whatsapp.net` → `@c.us`). */
export function clientJidOf(jid: string): string {
  const person = normalizePersonJid(jid);
  return person ? person.replace(/@s\.whatsapp\.net$/, "@c.us") : jid;
}

/**
 * The engine message of `message`, seen by the account `me` (a Parley JID); null when its chat
 * is not a person's or a group's (the status feed, channels), which Parley does not show.
 */
export async function engineMessageOf(message: WhatsappWebJsMessage, me: string): Promise<EngineMessage | null> {
  const chat = parleyJidOf(message.fromMe ? message.to : message.from);
  if (!chat) return null;
  const sender = message.fromMe ? me : parleyJidOf(message.author ?? message.from);
  if (!sender) return null;
  const mapping = mappingOf(message.type);
  const raw = message.rawData as { notifyName?: string; quotedStanzaID?: string } | undefined;
  return {
    id: message.id.id,
    chat,
    sender,
    senderName: message.fromMe ? null : raw?.notifyName || null,
    fromMe: message.fromMe,
    sentAt: new Date(message.timestamp * 1000),
    type: mapping.type,
    body: bodyOf(message, mapping),
    media: message.hasMedia ? mediaOf(message) : null,
    location: message.location
      ? {
          latitude: Number(message.location.latitude),
          longitude: Number(message.location.longitude),
          name: message.location.name ?? null,
          address: message.location.address ?? null,
        }
      : null,
    contacts: message.vCards.length > 0 ? message.vCards.map(contactOfVCard) : null,
    quotedId: message.hasQuotedMsg ? (raw?.quotedStanzaID ?? (await message.getQuotedMessage())?.id.id ?? null) : null,
  };
}

function bodyOf(message: WhatsappWebJsMessage, mapping: Mapping): string | null {
  if (mapping.placeholder) return mapping.placeholder(message) || null;
  // A vCard's body is the card itself, already in `contacts`.
  if (mapping.type === "contact" || mapping.type === "location") return null;
  return message.body || null;
}

function mediaOf(message: WhatsappWebJsMessage): EngineMessage["media"] {
  // The mime and name are only known once downloaded; the sticker/voice defaults are what WhatsApp sends.
  const mime = { image: "image/jpeg", video: "video/mp4", audio: "audio/mpeg", ptt: "audio/ogg; codecs=opus", sticker: "image/webp" }[message.type as string];
  const raw = message.rawData as { mimetype?: string; filename?: string } | undefined;
  return {
    mime: raw?.mimetype ?? mime ?? "application/octet-stream",
    filename: raw?.filename ?? null,
    async download() {
      // whatsapp-web.js resolves undefined when WhatsApp no longer has the media.
      const media = await message.downloadMedia();
      return media ? new Uint8Array(Buffer.from(media.data, "base64")) : null;
    },
  };
}

/** A shared contact of a vCard (RFC 6350 `FN` and `TEL`; WhatsApp puts the number in `waid=`). */
export function contactOfVCard(vcard: string): { name: string; phones: string[] } {
  const lines = vcard.split(/\r?\n/);
  const name = lines.find((line) => line.startsWith("FN"))?.replace(/^FN[^:]*:/, "") ?? "";
  const phones = lines
    .filter((line) => line.startsWith("TEL") || /^item\d+\.TEL/.test(line))
    .map((line) => {
      const waid = /waid=(\d+)/.exec(line);
      return waid ? `+${waid[1]}` : line.replace(/^[^:]*:/, "").trim();
    });
  return { name, phones };
}
