/**
 * Simulated messages as whatsapp-web.js shows them (Message.js `_patch`, index.d.ts v1.34): the
 * fake client's message shapes. `id._serialized` is `<fromMe>_<chat>_<id>`, with `_<author>`
 * for others' messages in groups; `from` is the chat for others' messages and the account for
 * its own; times are in seconds; a vCard's body is the card.
 */
import type { MessageTypes } from "whatsapp-web.js";
import type { SimulatedMessage } from "../simulated/network.ts";
import { enumValue, type WhatsappWebJsMessage } from "./client.ts";

/** The library's type of each simulated message (a template reaches WhatsApp Web as `hsm`). */
const wireTypeOf: Record<SimulatedMessage["type"], `${MessageTypes}`> = {
  text: "chat",
  image: "image",
  video: "video",
  audio: "audio",
  voice: "ptt",
  document: "document",
  sticker: "sticker",
  location: "location",
  contact: "vcard",
  reaction: "reaction",
  template: "hsm",
  unsupported: "unknown",
};

/** A person JID in the library's form (`@s.whatsapp.net` → `@c.us`). */
export const cUs = (jid: string) => jid.replace(/@s\.whatsapp\.net$/, "@c.us");

/** `message` as the account `account` (a JID) sees it; `message.chat` is the chat seen from that account. */
export function wireMessageOf(account: string, message: SimulatedMessage, fromMe: boolean): WhatsappWebJsMessage {
  const me = cUs(account);
  const chat = cUs(message.chat);
  const group = chat.endsWith("@g.us");
  const sender = cUs(message.sender);
  const wireType = message.revoked ? "revoked" : message.contacts && message.contacts.length > 1 ? "multi_vcard" : wireTypeOf[message.type];
  const vCards = message.revoked ? [] : (message.contacts ?? []).map((contact) => vCardOf(contact));
  const media = message.revoked ? null : message.media;
  return {
    id: { fromMe, remote: chat, id: message.id, _serialized: `${fromMe}_${chat}_${message.id}${group && !fromMe ? `_${sender}` : ""}` },
    from: fromMe ? me : chat,
    to: fromMe ? chat : me,
    ...(group ? { author: sender } : {}),
    fromMe,
    timestamp: Math.floor(message.sentAt.getTime() / 1000),
    type: enumValue<MessageTypes>(wireType),
    body: message.revoked ? "" : wireType === "vcard" ? (vCards[0] ?? "") : (message.editedBody ?? message.body ?? ""),
    hasMedia: media !== null,
    hasQuotedMsg: message.quotedId !== null,
    location: message.location
      ? {
          latitude: String(message.location.latitude),
          longitude: String(message.location.longitude),
          ...(message.location.name ? { name: message.location.name } : {}),
          ...(message.location.address ? { address: message.location.address } : {}),
        }
      : undefined,
    vCards,
    pollName: "",
    rawData: {
      notifyName: fromMe ? undefined : (message.senderName ?? undefined),
      quotedStanzaID: message.quotedId ?? undefined,
      mimetype: media?.mime,
      filename: media?.filename ?? undefined,
    },
    downloadMedia: async () => (media ? { mimetype: media.mime, data: Buffer.from(media.bytes).toString("base64"), filename: media.filename } : undefined),
    getQuotedMessage: async () =>
      message.quotedId ? { id: { fromMe: false, remote: chat, id: message.quotedId, _serialized: `false_${chat}_${message.quotedId}` } } : undefined,
  };
}

function vCardOf(contact: { name: string; phones: string[] }): string {
  const phones = contact.phones.map((phone) => `TEL;type=CELL;waid=${phone.replace(/\D/g, "")}:${phone}`);
  return ["BEGIN:VCARD", "VERSION:3.0", `FN:${contact.name}`, ...phones, "END:VCARD"].join("\n");
}
