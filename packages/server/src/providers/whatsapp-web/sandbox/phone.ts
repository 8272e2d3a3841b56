/**
 * The sandbox phone (issue: "a simulated phone in the browser"): what a person does on the
 * simulated network for a sandbox inbox — link it by scanning its QR, write as a customer, read
 * the agent's replies. The business's own sandbox number is derived from the inbox id, so it is
 * the same on every node and after restarts.
 */
import { createHash } from "node:crypto";
import { DomainError, notFound } from "../../../domain/errors.ts";
import type { Inbox } from "../../../domain/inboxes/inbox.ts";
import type { MediaMessageType } from "../../../domain/providers/provider.ts";
import type { Store } from "../../../domain/ports.ts";
import type { SimulatedMessage, SimulatedWhatsApp } from "../simulated/network.ts";

/** The sandbox business number of an inbox: +1 555 followed by 7 digits of its id's hash (a fictional range). */
export function sandboxBusinessNumber(inboxId: string): string {
  const digits = BigInt(`0x${createHash("sha256").update(inboxId).digest("hex").slice(0, 12)}`) % 10_000_000n;
  return `+1555${digits.toString().padStart(7, "0")}`;
}

export interface SandboxPhoneDependencies {
  store: Store;
  network: SimulatedWhatsApp;
}

function sandboxInbox(inbox: Inbox | null): Inbox {
  if (inbox?.provider !== "whatsapp_web" || inbox.engine !== "sandbox") throw notFound("inboxes");
  return inbox;
}

/** The business's sandbox phone scans the QR the inbox shows now. Throws `inboxes.not_connected` (409) when it shows none. */
export async function scanInboxQr(deps: SandboxPhoneDependencies, inbox: Inbox | null): Promise<void> {
  const target = sandboxInbox(inbox);
  if (!target.qr) throw new DomainError("inboxes.not_connected", "The inbox shows no QR to scan now (it is linked, or still connecting).");
  try {
    deps.network.scan(sandboxBusinessNumber(target.id), target.qr.code);
  } catch (error) {
    throw new DomainError("inboxes.not_connected", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Someone writes: a customer (`from`, E.164) to the inbox's sandbox number, or — when `from` is
 * that number — the business's owner on the phone, to the customer `to`. Returns the message as
 * sent. With `group` (a subject), it is written in that group of the business's, created with
 * the business as admin (and the writer joined) when needed. Throws `messages.invalid_content`
 * (400) for an owner's message without `to`.
 */
export function someoneWrites(
  deps: SandboxPhoneDependencies,
  inbox: Inbox | null,
  input: {
    from: string;
    to?: string | undefined;
    name: string | null;
    body: string | null;
    group?: string | undefined;
    attachment?: { type: MediaMessageType; mime: string; filename: string | null; bytes: Uint8Array } | undefined;
  },
): SimulatedMessage {
  const business = sandboxBusinessNumber(sandboxInbox(inbox).id);
  const { attachment } = input;
  const content = attachment
    ? { type: attachment.type, body: input.body, media: { mime: attachment.mime, filename: attachment.filename, bytes: attachment.bytes } }
    : { body: input.body };
  if (input.group) {
    deps.network.addPerson(input.from, input.name);
    return deps.network.send(input.from, groupOf(deps.network, business, input.group, input.from), content);
  }
  if (input.from === business) {
    if (!input.to) throw new DomainError("messages.invalid_content", "A message from the business's phone needs `to`.", { field: "to" });
    return deps.network.send(business, input.to, content);
  }
  deps.network.addPerson(input.from, input.name);
  return deps.network.send(input.from, business, content);
}

/** Its sender edits a message (`body`), or deletes it for everyone (`body` null). Throws `messages.not_found` (404). */
export function senderRevises(deps: SandboxPhoneDependencies, inbox: Inbox | null, providerMessageId: string, body: string | null): void {
  const business = `${sandboxBusinessNumber(sandboxInbox(inbox).id).slice(1)}@s.whatsapp.net`;
  const message = deps.network.message(providerMessageId);
  // Only messages of this inbox's chats: another sandbox's are not found.
  if (!message || (message.sender !== business && message.chat !== business)) throw notFound("messages");
  if (body === null) deps.network.revoke(providerMessageId);
  else deps.network.edit(providerMessageId, body);
}

/** The customer reads an agent's message (Parley's id): its ticks turn blue. Throws `messages.not_found` (404). */
export async function customerReads(deps: SandboxPhoneDependencies, inbox: Inbox | null, messageId: string): Promise<void> {
  const target = sandboxInbox(inbox);
  const message = await deps.store.messages.findById(target.workspaceId, messageId);
  const recipient = message ? await deps.store.conversations.findRecipient(target.workspaceId, message.conversationId) : null;
  if (!message || message.inboxId !== target.id || !message.providerMessageId || !recipient?.phone) throw notFound("messages");
  deps.network.read(recipient.phone, message.providerMessageId);
}

/** The JID of the business's group with this subject, created or joined by `member` as needed. */
function groupOf(network: SimulatedWhatsApp, business: string, subject: string, member: string): string {
  const found = network.chatsOf(business).find((chat) => chat.isGroup && chat.name === subject);
  if (!found) return network.createGroup(subject, [business, member], [business]);
  const memberJid = `${member.slice(1)}@s.whatsapp.net`;
  if (!found.participants?.some((participant) => participant.jid === memberJid)) network.changeGroup(found.jid, "joined", member);
  return found.jid;
}

/** A chat on the sandbox phone, as the phone's screen lists it. */
export interface SandboxChat {
  jid: string;
  name: string | null;
  isGroup: boolean;
  lastMessageAt: Date | null;
}

/** The business's chats on the sandbox network, newest first. */
export function sandboxChats(deps: SandboxPhoneDependencies, inbox: Inbox | null): SandboxChat[] {
  const business = sandboxBusinessNumber(sandboxInbox(inbox).id);
  return deps.network
    .chatsOf(business)
    .map((chat) => ({ jid: chat.jid, name: chat.name, isGroup: chat.isGroup, lastMessageAt: chat.lastMessageAt }))
    .sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0));
}

/** A chat's messages on the sandbox phone, oldest first; `fromBusiness` marks the agents' (and the owner's) side. */
export function sandboxChatMessages(deps: SandboxPhoneDependencies, inbox: Inbox | null, chat: string): Array<SimulatedMessage & { fromBusiness: boolean }> {
  const business = sandboxBusinessNumber(sandboxInbox(inbox).id);
  const businessJid = `${business.slice(1)}@s.whatsapp.net`;
  return deps.network.history(business, chat).map((message) => ({ ...message, fromBusiness: message.sender === businessJid }));
}

/** The customer `readerE164` reads a message by WhatsApp's id (the phone's own read). Throws `messages.not_found` (404). */
export function customerReadsOnPhone(deps: SandboxPhoneDependencies, inbox: Inbox | null, providerMessageId: string, readerE164: string): void {
  const businessJid = `${sandboxBusinessNumber(sandboxInbox(inbox).id).slice(1)}@s.whatsapp.net`;
  const message = deps.network.message(providerMessageId);
  if (!message || message.sender !== businessJid) throw notFound("messages");
  deps.network.read(readerE164, providerMessageId);
}
