/** Words the inbox shows for a conversation: its title, preview line and provider badge. */
import type { Conversation, Message, Provider } from "../lib/types.ts";
import type { IconName } from "./icons.ts";

/** The contact's or group's display name, falling back to e-mail, phone, then a visitor label. */
export function conversationTitle(conversation: Pick<Conversation, "kind" | "group" | "contact">): string {
  if (conversation.kind === "group") return conversation.group?.subject || conversation.group?.jid || "Group";
  const contact = conversation.contact;
  if (!contact) return "Unknown contact";
  if (contact.name) return contact.name;
  if (contact.email) return contact.email;
  if (contact.phone) return contact.phone;
  return contact.visitor_id ? `Visitor ${contact.visitor_id.slice(-4).toUpperCase()}` : "Visitor";
}

/** "1 participant", "12 participants". */
export function participantsLabel(count: number): string {
  return `${count} ${count === 1 ? "participant" : "participants"}`;
}

const mediaLabels: Record<Message["type"], string> = {
  text: "",
  image: "Photo",
  video: "Video",
  audio: "Audio",
  voice: "Voice message",
  document: "Document",
  sticker: "Sticker",
  location: "Location",
  contact: "Contact",
  reaction: "Reaction",
  template: "Template",
  unsupported: "Unsupported message",
};

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
  if (message.type === "reaction") return body ? `Reacted ${body}` : "Removed a reaction";
  if (message.type === "text" || body) return body;
  if (message.type === "document" && message.media?.filename) return message.media.filename;
  if (message.type === "location" && (message.location?.name || message.location?.address)) return (message.location.name || message.location.address)!;
  if (message.type === "contact" && message.contacts?.length) return message.contacts.map((card) => card.name).join(", ");
  if (message.type === "template" && message.template) return `Template: ${message.template.name}`;
  return mediaLabels[message.type];
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
    if (message.sender.id && message.sender.id === myUserId) return { prefix: "You", text };
    return { prefix: message.sender.name ?? "", text };
  }
  if (conversation.kind === "group") return { prefix: message.sender.name ?? "", text };
  return { prefix: "", text };
}

export const providerLabels: Record<Provider, string> = {
  web_widget: "Web widget",
  whatsapp_web: "WhatsApp Web",
  whatsapp_cloud: "WhatsApp Cloud",
};

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
