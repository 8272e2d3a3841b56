/**
 * The members of a WhatsApp group conversation (issue 7, "Groups"): who is in the group now, as
 * the inbox's session last reported it, with the workspace's contact for each member's number.
 */
import type { Contact } from "../contacts/contact.ts";
import { phoneMatchCandidates } from "../contacts/phone.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { phoneOfJid } from "../whatsapp-web/jid.ts";

/** A member of a group as stored (`group_participants`). `jid` is a person JID in Parley's form. */
export interface GroupParticipant {
  jid: string;
  /** The name WhatsApp gave the member, when it gave one. */
  name: string | null;
  isAdmin: boolean;
  /** When Parley first saw the member in the group; null when unknown. */
  joinedAt: Date | null;
}

/**
 * A member as an agent sees it: `phone` in E.164 (null for a JID without one), `contact` the
 * workspace's contact with that number (either form of a Brazilian mobile), and `name` the
 * member's WhatsApp name, else the contact's.
 */
export interface GroupMember extends GroupParticipant {
  phone: string | null;
  contact: Contact | null;
}

export interface GroupParticipantDependencies {
  store: Store;
}

/**
 * A group conversation's members now: admins first, then by name (members without one last, by
 * JID). Throws `conversations.not_found` (404, also for another workspace's conversation) and
 * `conversations.not_group` (422) for a private conversation, which has no member list.
 */
export async function listGroupParticipants(deps: GroupParticipantDependencies, membership: Membership, conversationId: string): Promise<GroupMember[]> {
  const workspaceId = membership.workspace.id;
  const conversation = await deps.store.conversations.findById(workspaceId, conversationId);
  if (!conversation) throw notFound("conversations");
  if (conversation.kind !== "group") throw new DomainError("conversations.not_group", "Only a group conversation has participants.");
  const participants = await deps.store.conversations.listGroupParticipants(workspaceId, conversationId);
  const phones = participants.map((participant) => phoneOfJid(participant.jid));
  const forms = [...new Set(phones.flatMap((phone) => (phone ? phoneMatchCandidates(phone) : [])))];
  const contacts = await deps.store.contacts.findByPhones(workspaceId, forms);
  const members = participants.map((participant, index): GroupMember => {
    const phone = phones[index] ?? null;
    const candidates = phone ? phoneMatchCandidates(phone) : [];
    // Oldest first from the store: the contact that was there first stands for the person.
    const contact = contacts.find((found) => found.phone !== null && candidates.includes(found.phone)) ?? null;
    return { ...participant, name: participant.name ?? contact?.name ?? null, phone, contact };
  });
  return members.sort(byAdminThenName);
}

function byAdminThenName(a: GroupMember, b: GroupMember): number {
  if (a.isAdmin !== b.isAdmin) return a.isAdmin ? -1 : 1;
  if (a.name !== null && b.name !== null) return a.name.localeCompare(b.name) || a.jid.localeCompare(b.jid);
  if (a.name !== b.name) return a.name === null ? 1 : -1;
  return a.jid.localeCompare(b.jid);
}
