import { describe, expect, it } from "vitest";
import { conversationSchema, type ApiConversation } from "./conversation.ts";
import { groupParticipantSchema } from "./group.ts";

const group: ApiConversation = {
  id: "0190a4b2-7c1e-7a3b-9f00-000000000010",
  inbox_id: "0190a4b2-7c1e-7a3b-9f00-000000000011",
  kind: "group",
  status: "open",
  assignee_id: null,
  unread_count: 2,
  last_message_at: "2024-03-07T09:00:00.000Z",
  group: { jid: "120363012345678901@g.us", subject: "Reseller Jakarta", participant_count: 3 },
  inbox: { id: "0190a4b2-7c1e-7a3b-9f00-000000000011", name: "WhatsApp", provider: "whatsapp_web" },
  contact: null,
  last_message: null,
  window: null,
  labels: [],
  created_at: "2024-03-07T09:00:00.000Z",
  updated_at: "2024-03-07T09:00:00.000Z",
};

describe("group wire shapes", () => {
  it("carries a group conversation's JID, subject and member count in `group`", () => {
    expect(conversationSchema.parse(group)).toEqual(group);
    expect(conversationSchema.safeParse({ ...group, group: { ...group.group, subject: null } }).success).toBe(true);
  });

  it("refuses the old `group.name` shape and a negative member count", () => {
    expect(conversationSchema.safeParse({ ...group, group: { jid: "120363012345678901@g.us", name: "Reseller Jakarta" } }).success).toBe(false);
    expect(conversationSchema.safeParse({ ...group, group: { ...group.group, participant_count: -1 } }).success).toBe(false);
  });

  it("lists a member with or without a contact of the workspace", () => {
    const member = {
      jid: "6281234567890@s.whatsapp.net",
      contact_id: "0190a4b2-7c1e-7a3b-9f00-000000000012",
      name: "Dewi",
      phone: "+6281234567890",
      is_admin: false,
      joined_at: "2024-03-07T09:00:00.000Z",
    };
    expect(groupParticipantSchema.parse(member)).toEqual(member);
    expect(groupParticipantSchema.safeParse({ ...member, contact_id: null, name: null, joined_at: null }).success).toBe(true);
    expect(groupParticipantSchema.safeParse({ ...member, is_admin: "yes" }).success).toBe(false);
  });
});
