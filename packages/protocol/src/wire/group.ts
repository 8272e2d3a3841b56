/** A WhatsApp group as a group conversation carries it, and its members (WhatsApp Web inboxes). */
import { z } from "zod";
import { isoTime } from "./common.ts";

/** A group conversation's group: its JID (`<id>@g.us`), its subject as WhatsApp names it (null until known), and how many members it has now. */
export const conversationGroupSchema = z.object({
  jid: z.string(),
  subject: z.string().nullable(),
  participant_count: z.number().int().nonnegative(),
});
export type ConversationGroup = z.infer<typeof conversationGroupSchema>;

/**
 * A member of a group now (`GET .../conversations/{id}/participants`).
 * - `jid`: the member's person JID (`6281234567890@s.whatsapp.net`); `phone` its E.164 number.
 * - `contact_id`, `name`: the workspace's contact with that number, when there is one (the
 *   business's own number and members who never wrote have none).
 * - `is_admin`: a group admin (WhatsApp's super-admin, the group's creator, counts as one).
 * - `joined_at`: when Parley first saw the member in the group (the first sync for members who
 *   were there before the inbox was linked); null when unknown.
 * Members who left are not listed: WhatsApp reports the group as it is now.
 */
export const groupParticipantSchema = z.object({
  jid: z.string(),
  contact_id: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  is_admin: z.boolean(),
  joined_at: isoTime.nullable(),
});
export type ApiGroupParticipant = z.infer<typeof groupParticipantSchema>;
