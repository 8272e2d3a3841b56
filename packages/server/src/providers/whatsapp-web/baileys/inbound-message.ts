/**
 * Baileys' `WAMessage` (a `proto.IWebMessageInfo` with its `key`) mapped to the engine port's
 * `EngineMessage`. Every content type becomes a message: the ones Parley shows as they are, a
 * poll as a text placeholder, anything else as an `unsupported` placeholder naming the type, so
 * nothing a customer sends is silently dropped. Protocol messages (deletes, edits, key shares)
 * and the status feed are not chat messages: they map to null.
 */
import { getContentType, jidNormalizedUser, normalizeMessageContent, type proto, toNumber, type WAMessage, type WAMessageKey } from "baileys";
import type { EngineMedia, EngineMessage } from "../../../domain/whatsapp-web/engine.ts";
import { isGroupJid, normalizePersonJid, statusBroadcastJid } from "../../../domain/whatsapp-web/jid.ts";
import type { SharedContact } from "../../../domain/providers/inbound.ts";

/** What mapping needs beyond the message: the session's own JID and a media downloader. */
export interface InboundContext {
  /** The business's own person JID (the sender of `fromMe` messages). */
  me: string;
  /** The decrypted bytes of this media message, or null when WhatsApp no longer has them. */
  download(message: WAMessage): Promise<Uint8Array | null>;
}

/**
 * The person JID in Parley's form among a Baileys JID and its alternative (Baileys 7 addresses
 * many chats by LID, `<id>@lid`, and gives the phone-number JID in `remoteJidAlt` /
 * `participantAlt`); the device suffix is dropped. A LID with no phone-number alternative is
 * kept as Baileys normalises it.
 */
export function personOf(jid: string | null | undefined, alt?: string | null): string | null {
  for (const candidate of [jid, alt]) {
    const person = candidate ? normalizePersonJid(candidate) : null;
    if (person) return person;
  }
  return jid ? jidNormalizedUser(jid) || null : null;
}

/** The chat of a message key: the group's JID, or the other person's in Parley's form. Null for the status feed. */
export function chatOf(key: WAMessageKey): string | null {
  const remote = key.remoteJid;
  if (!remote || remote === statusBroadcastJid) return null;
  if (isGroupJid(remote)) return remote;
  return personOf(remote, key.remoteJidAlt);
}

/** The `EngineMessage` of a Baileys message, or null when it is no chat message (see the module comment). */
export function toEngineMessage(message: WAMessage, context: InboundContext): EngineMessage | null {
  const chat = chatOf(message.key);
  const content = normalizeMessageContent(message.message);
  const kind = getContentType(content);
  if (!chat || !content || !kind || kind === "protocolMessage" || kind === "senderKeyDistributionMessage") return null;
  const fromMe = message.key.fromMe === true;
  const sender = fromMe ? context.me : isGroupJid(chat) ? (personOf(message.key.participant, message.key.participantAlt) ?? chat) : chat;
  return {
    id: message.key.id ?? "",
    chat,
    sender,
    senderName: message.pushName ?? null,
    fromMe,
    sentAt: new Date(toNumber(message.messageTimestamp) * 1000),
    ...contentOf(content, kind, () => context.download(message)),
  };
}

type MappedContent = Pick<EngineMessage, "type" | "body" | "media" | "location" | "contacts" | "quotedId">;

function contentOf(content: proto.IMessage, kind: keyof proto.IMessage, download: () => Promise<Uint8Array | null>): MappedContent {
  const none: MappedContent = { type: "text", body: null, media: null, location: null, contacts: null, quotedId: null };
  const quoted = (info: { contextInfo?: proto.IContextInfo | null } | null | undefined) => info?.contextInfo?.stanzaId ?? null;
  const media = (mime: string | null | undefined, fallback: string, filename: string | null = null): EngineMedia => ({
    mime: mime ?? fallback,
    filename,
    download,
  });
  const { imageMessage: image, videoMessage: video, audioMessage: audio, documentMessage: document, stickerMessage: sticker } = content;
  switch (kind) {
    case "conversation":
      return { ...none, body: content.conversation ?? "" };
    case "extendedTextMessage":
      return { ...none, body: content.extendedTextMessage?.text ?? "", quotedId: quoted(content.extendedTextMessage) };
    case "imageMessage":
      return { ...none, type: "image", body: image?.caption || null, media: media(image?.mimetype, "image/jpeg"), quotedId: quoted(image) };
    case "videoMessage":
      return { ...none, type: "video", body: video?.caption || null, media: media(video?.mimetype, "video/mp4"), quotedId: quoted(video) };
    case "audioMessage":
      return { ...none, type: audio?.ptt ? "voice" : "audio", media: media(audio?.mimetype, "audio/ogg; codecs=opus"), quotedId: quoted(audio) };
    case "documentMessage":
      return {
        ...none,
        type: "document",
        body: document?.caption || null,
        media: media(document?.mimetype, "application/octet-stream", document?.fileName ?? null),
        quotedId: quoted(document),
      };
    case "stickerMessage":
      return { ...none, type: "sticker", media: media(sticker?.mimetype, "image/webp"), quotedId: quoted(sticker) };
    case "locationMessage":
    case "liveLocationMessage": {
      const place = content.locationMessage ?? content.liveLocationMessage;
      const named = content.locationMessage;
      return {
        ...none,
        type: "location",
        location: {
          latitude: place?.degreesLatitude ?? 0,
          longitude: place?.degreesLongitude ?? 0,
          name: named?.name ?? null,
          address: named?.address ?? null,
        },
        quotedId: quoted(place),
      };
    }
    case "contactMessage":
      return { ...none, type: "contact", contacts: [sharedContactOf(content.contactMessage)], quotedId: quoted(content.contactMessage) };
    case "contactsArrayMessage":
      return {
        ...none,
        type: "contact",
        contacts: (content.contactsArrayMessage?.contacts ?? []).map(sharedContactOf),
        quotedId: quoted(content.contactsArrayMessage),
      };
    case "reactionMessage":
      // An empty text is a reaction taken back.
      return { ...none, type: "reaction", body: content.reactionMessage?.text ?? "", quotedId: content.reactionMessage?.key?.id ?? null };
    case "pollCreationMessage":
    case "pollCreationMessageV2":
    case "pollCreationMessageV3": {
      const poll = content.pollCreationMessage ?? content.pollCreationMessageV2 ?? content.pollCreationMessageV3;
      const options = (poll?.options ?? []).map((option) => option.optionName ?? "").filter(Boolean);
      return {
        ...none,
        body: `📊 Poll: ${poll?.name ?? ""}${options.length > 0 ? `\n${options.map((option) => `• ${option}`).join("\n")}` : ""}`,
        quotedId: quoted(poll),
      };
    }
    default:
      return { ...none, type: "unsupported", body: `Unsupported WhatsApp message (${kind})` };
  }
}

/** A contact card's name and numbers, from its vCard (`TEL;waid=<digits>:…` gives the WhatsApp number). */
function sharedContactOf(card: proto.Message.IContactMessage | null | undefined): SharedContact {
  const phones: string[] = [];
  for (const line of (card?.vcard ?? "").split(/\r?\n/)) {
    if (!/^(item\d+\.)?TEL/i.test(line)) continue;
    const waid = /waid=(\d+)/i.exec(line)?.[1];
    const value = line.slice(line.indexOf(":") + 1).trim();
    if (waid) phones.push(`+${waid}`);
    else if (value) phones.push(value);
  }
  return { name: card?.displayName ?? "", phones };
}

/** The text of an edited message's new content (text, or a media caption). */
export function editedBodyOf(content: proto.IMessage | null | undefined): string | null {
  const inner = normalizeMessageContent(content);
  return (
    inner?.conversation ??
    inner?.extendedTextMessage?.text ??
    inner?.imageMessage?.caption ??
    inner?.videoMessage?.caption ??
    inner?.documentMessage?.caption ??
    null
  );
}
