/** Words the inbox shows for a conversation: its title, preview line and provider badge. */
import type { Conversation, Message, Provider } from "../lib/types.ts";
import type { IconName } from "./icons.ts";
import { t, tn } from "../i18n/index.ts";

/** The contact's or group's display name, falling back to e-mail, phone, then a visitor label. */
export function conversationTitle(conversation: Pick<Conversation, "kind" | "group" | "contact">): string {
  if (conversation.kind === "group") return conversation.group?.subject || conversation.group?.jid || t("conversations.group");
  const contact = conversation.contact;
  if (!contact) return t("conversations.unknownContact");
  if (contact.name) return contact.name;
  if (contact.email) return contact.email;
  if (contact.phone) return contact.phone;
  return contact.visitor_id ? t("conversations.visitorNamed", { id: contact.visitor_id.slice(-4).toUpperCase() }) : t("conversations.visitor");
}

/** "1 participant", "12 participants". */
export function participantsLabel(count: number): string {
  return tn("conversations.participants", count);
}

/** The label of a media message without caption ("Photo"); text has none. */
function mediaLabel(type: Message["type"]): string {
  return type === "text" ? "" : t(`messageTypes.${type}`);
}

const mediaIcons: Partial<Record<Message["type"], IconName>> = {
  image: "image",
  sticker: "image",
  video: "videocam",
  audio: "mic",
  voice: "mic",
  document: "document",
  location: "location",
  contact: "person",
  template: "document",
};

/** The icon shown before a media message's snippet (WhatsApp's camera, mic, file…), or null for text. */
export function mediaIcon(type: Message["type"]): IconName | null {
  return mediaIcons[type] ?? null;
}

/**
 * One line for a message: its text; for media, the caption, else the file name or a label
 * ("Photo"); a reaction as "Reacted 👍"; a location or contact card by its name.
 */
export function messageSnippet(
  message: Pick<Message, "type" | "body"> & {
    media?: { filename: string | null } | null;
    location?: { name: string | null; address: string | null } | null;
    contacts?: ReadonlyArray<{ name: string }> | null;
    template?: { name: string } | null;
  },
): string {
  const body = message.body?.replace(/\s+/g, " ").trim() ?? "";
  if (message.type === "reaction") return body ? t("messages.reacted", { emoji: body }) : t("messages.removedReaction");
  if (message.type === "text" || body) return body;
  if (message.type === "document" && message.media?.filename) return message.media.filename;
  if (message.type === "location" && (message.location?.name || message.location?.address)) return (message.location.name || message.location.address)!;
  if (message.type === "contact" && message.contacts?.length) return message.contacts.map((card) => card.name).join(", ");
  if (message.type === "template" && message.template) return t("messages.templateNamed", { name: message.template.name });
  return mediaLabel(message.type);
}

/**
 * The list's preview: "You: …" for the signed-in agent's replies, the sender's name for group
 * messages ("Maria: …") and for other agents' replies, else just the text.
 */
export function previewText(conversation: Conversation, myUserId: string | null): { prefix: string; text: string } {
  const message = conversation.last_message;
  if (!message) return { prefix: "", text: "" };
  const text = messageSnippet(message);
  if (message.direction === "outbound") {
    if (message.sender.id && message.sender.id === myUserId) return { prefix: t("common.you"), text };
    return { prefix: message.sender.name ?? "", text };
  }
  if (conversation.kind === "group") return { prefix: message.sender.name ?? "", text };
  return { prefix: "", text };
}

/** "Web widget", "WhatsApp Web", "WhatsApp Cloud": an inbox kind's name in the active language. */
export function providerLabel(provider: Provider): string {
  return t(`providers.${provider}`);
}

/** Two letters for an avatar: "Ana Lima" → "AL". */
export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return "?";
  return ((words[0]![0] ?? "") + (words.length > 1 ? (words[words.length - 1]![0] ?? "") : "")).toUpperCase();
}

/** A stable hue (0–359) for a name, so one person keeps one avatar colour. */
export function hueOf(seed: string): number {
  let hash = 0;
  for (let index = 0; index < seed.length; index++) hash = (hash * 31 + seed.charCodeAt(index)) | 0;
  return Math.abs(hash) % 360;
}
