/**
 * The message contents of the fake Baileys socket (fake-socket.ts): a simulated network message
 * as Baileys' `proto.IMessage` (the fields WhatsApp clients fill: media with `url`, `mediaKey`,
 * `mimetype`; quotes in `contextInfo.stanzaId`; contact cards as vCards), and what Parley hands
 * `sendMessage` back as simulated content.
 */
import { randomBytes } from "node:crypto";
import type { AnyMessageContent, proto, WAMessageKey } from "baileys";
import type { SimulatedContent, SimulatedMessage } from "../simulated/network.ts";

/** A network message's content as Baileys' `proto.IMessage`, the way WhatsApp clients build it. */
export function contentOf(message: SimulatedMessage, keys: Map<string, WAMessageKey>, mediaByUrl: Map<string, Uint8Array>): proto.IMessage {
  const contextInfo = message.quotedId ? { contextInfo: { stanzaId: message.quotedId, participant: keys.get(message.quotedId)?.participant ?? null } } : {};
  const media = () => {
    const url = `https://mmg.whatsapp.net/v/t62.7118-24/${message.id}.enc`;
    mediaByUrl.set(url, message.media!.bytes);
    return {
      url,
      directPath: new URL(url).pathname,
      mediaKey: randomBytes(32),
      mimetype: message.media!.mime,
      fileLength: message.media!.bytes.length,
      ...contextInfo,
    };
  };
  const caption = message.body ? { caption: message.body } : {};
  switch (message.type) {
    case "image":
      return { imageMessage: { ...media(), ...caption } };
    case "video":
      return { videoMessage: { ...media(), ...caption } };
    case "audio":
    case "voice":
      return { audioMessage: { ...media(), ptt: message.type === "voice" } };
    case "document":
      return { documentMessage: { ...media(), ...caption, fileName: message.media?.filename ?? "file" } };
    case "sticker":
      return { stickerMessage: media() };
    case "location":
      return {
        locationMessage: {
          degreesLatitude: message.location?.latitude,
          degreesLongitude: message.location?.longitude,
          ...(message.location?.name ? { name: message.location.name } : {}),
          ...(message.location?.address ? { address: message.location.address } : {}),
          ...contextInfo,
        },
      };
    case "contact": {
      const cards = (message.contacts ?? []).map((contact) => ({
        displayName: contact.name,
        vcard: [
          "BEGIN:VCARD",
          "VERSION:3.0",
          `FN:${contact.name}`,
          ...contact.phones.map((phone) => `TEL;type=CELL;waid=${phone.replace(/\D/g, "")}:${phone}`),
          "END:VCARD",
        ].join("\n"),
      }));
      return cards.length === 1
        ? { contactMessage: { ...cards[0], ...contextInfo } }
        : { contactsArrayMessage: { displayName: `${cards.length} contacts`, contacts: cards, ...contextInfo } };
    }
    case "reaction":
      return {
        reactionMessage: {
          key: keys.get(message.quotedId ?? "") ?? { remoteJid: message.chat, id: message.quotedId },
          text: message.body ?? "",
          senderTimestampMs: message.sentAt.getTime(),
        },
      };
    default:
      return message.quotedId ? { extendedTextMessage: { text: message.body ?? "", ...contextInfo } } : { conversation: message.body ?? "" };
  }
}

/** What the fake can send: text, media from a Buffer, reactions. Throws for the rest (polls, forwards…), which Parley does not send. */
export function simulatedContentOf(content: AnyMessageContent, quotedId: string | null): Partial<SimulatedContent> {
  const bytesOf = (upload: unknown) => {
    if (!Buffer.isBuffer(upload)) throw new Error("The fake Baileys socket only sends media given as a Buffer.");
    return new Uint8Array(upload);
  };
  const base = { quotedId, location: null, contacts: null, media: null };
  if ("text" in content) return { ...base, type: "text", body: content.text };
  if ("react" in content) return { ...base, type: "reaction", body: content.react.text ?? "", quotedId: content.react.key?.id ?? null };
  const caption = "caption" in content && typeof content.caption === "string" ? content.caption : null;
  const mime = "mimetype" in content && typeof content.mimetype === "string" ? content.mimetype : "application/octet-stream";
  if ("image" in content) return { ...base, type: "image", body: caption, media: { mime, filename: null, bytes: bytesOf(content.image) } };
  if ("video" in content) return { ...base, type: "video", body: caption, media: { mime, filename: null, bytes: bytesOf(content.video) } };
  if ("audio" in content) return { ...base, type: content.ptt ? "voice" : "audio", media: { mime, filename: null, bytes: bytesOf(content.audio) } };
  if ("document" in content)
    return { ...base, type: "document", body: caption, media: { mime, filename: content.fileName ?? null, bytes: bytesOf(content.document) } };
  if ("sticker" in content) return { ...base, type: "sticker", media: { mime, filename: null, bytes: bytesOf(content.sticker) } };
  throw new Error("The fake Baileys socket does not send this kind of content.");
}
