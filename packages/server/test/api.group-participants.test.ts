/**
 * A WhatsApp group's members over HTTP (`GET .../conversations/{id}/participants`) as a session
 * reports them: who is in the group, admins first, each with the workspace's contact for their
 * number; joins, leaves and promotions change the list and are announced as
 * `conversation.updated`. Private conversations and other workspaces' groups are refused.
 */
import { conversationSchema, groupParticipantSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { phoneMatchCandidates } from "../src/domain/contacts/phone.ts";
import { systemClock } from "../src/domain/clock.ts";
import { newId } from "../src/domain/ids.ts";
import { receiveInbound } from "../src/domain/messages/receive-inbound.ts";
import type { InboundEvent, InboundGroupUpdate } from "../src/domain/providers/inbound.ts";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const testApp = useTestApp();
const groupJid = "120363012345678901@g.us";
const business = "6281200000000@s.whatsapp.net";
const dewi = "6281234567890@s.whatsapp.net";
// A Brazilian mobile WhatsApp still knows without its 9th digit; the contact is stored with it.
const bruno = "551187654321@s.whatsapp.net";
const brunoStored = "+5511987654321";

/** A workspace with a WhatsApp Web inbox, and a way to feed it what its session reports. */
async function groupInbox(label: string) {
  const { api, store, published } = testApp();
  const { token, workspaceId } = await api.signup(label);
  const inbox = await store.inboxes.create({
    id: newId(),
    workspaceId,
    provider: "whatsapp_web",
    name: "WhatsApp",
    status: "ready",
    widgetKey: null,
    widget: null,
  });
  const deps = { store, clock: systemClock, events: { publish: async (events: typeof published) => void published.push(...events) } };
  const report = (events: InboundEvent[]) => receiveInbound(deps, inbox, events);
  const groupUpdate = (participants: InboundGroupUpdate["participants"]): InboundGroupUpdate => ({
    kind: "group",
    jid: groupJid,
    subject: "Reseller Jakarta",
    participants,
    at: new Date(),
  });
  /** A message `from` wrote in the group, or (`inGroup` false) to the business privately. */
  const groupMessage = (from: string, name: string, body: string, inGroup = true): InboundEvent => ({
    kind: "message",
    providerMessageId: `3EB0${newId().replace(/-/g, "").slice(-16).toUpperCase()}`,
    from: { phone: `+${from.split("@")[0]}`, name },
    sentAt: new Date(),
    type: "text",
    body,
    media: null,
    location: null,
    contacts: null,
    replyToProviderMessageId: null,
    interactiveReplyId: null,
    ...(inGroup ? { group: { jid: groupJid, subject: null } } : {}),
  });
  const conversations = async () => (await api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data as Array<Record<string, any>>;
  const participantsOf = (conversationId: string, asToken = token, asWorkspace = workspaceId) =>
    api.get(`${workspacePath(asWorkspace)}/conversations/${conversationId}/participants`, asToken);
  return { api, store, published, token, workspaceId, inbox, report, groupUpdate, groupMessage, conversations, participantsOf };
}

describe("a group conversation's participants", () => {
  it("lists the members admins first, each with the workspace's contact for their number, Brazilian 9th-digit forms included", async () => {
    const shop = await groupInbox("members");
    await shop.store.contacts.upsertManyByPhone(shop.workspaceId, [
      { id: newId(), phone: brunoStored, candidates: phoneMatchCandidates(brunoStored), name: "Bruno" },
    ]);
    await shop.report([
      shop.groupUpdate([
        { jid: dewi, isAdmin: false },
        { jid: bruno, isAdmin: false },
        { jid: business, isAdmin: true },
      ]),
      shop.groupMessage(dewi, "Dewi", "Stok ready semua?"),
    ]);
    const [group] = await shop.conversations();
    expect(conversationSchema.parse(group)).toMatchObject({
      kind: "group",
      contact: null,
      group: { jid: groupJid, subject: "Reseller Jakarta", participant_count: 3 },
    });

    const answer = await shop.participantsOf(group!["id"]);
    expect(answer.status).toBe(200);
    const members = answer.body.data.map((member: unknown) => groupParticipantSchema.parse(member));
    const dewiContact = (await shop.store.contacts.findByPhones(shop.workspaceId, ["+6281234567890"]))[0]!;
    const brunoContact = (await shop.store.contacts.findByPhones(shop.workspaceId, [brunoStored]))[0]!;
    expect(members).toEqual([
      { jid: business, contact_id: null, name: null, phone: "+6281200000000", is_admin: true, joined_at: expect.any(String) },
      { jid: bruno, contact_id: brunoContact.id, name: "Bruno", phone: "+551187654321", is_admin: false, joined_at: expect.any(String) },
      { jid: dewi, contact_id: dewiContact.id, name: "Dewi", phone: "+6281234567890", is_admin: false, joined_at: expect.any(String) },
    ]);
  });

  it("follows joins, leaves and promotions, keeping the join date of members who stay, and announces each change", async () => {
    const shop = await groupInbox("changes");
    await shop.report([
      shop.groupUpdate([
        { jid: business, isAdmin: true },
        { jid: dewi, isAdmin: false },
      ]),
      shop.groupMessage(dewi, "Dewi", "Halo"),
    ]);
    const [group] = await shop.conversations();
    const before = (await shop.participantsOf(group!["id"])).body.data as Array<Record<string, any>>;
    const dewiJoined = before.find((member) => member["jid"] === dewi)!["joined_at"];
    shop.published.length = 0;

    // Dewi is made admin, a newcomer joins, the business's own number leaves.
    const newcomer = "6281399998888@s.whatsapp.net";
    await shop.report([
      shop.groupUpdate([
        { jid: dewi, isAdmin: true },
        { jid: newcomer, isAdmin: false },
      ]),
    ]);

    const after = (await shop.participantsOf(group!["id"])).body.data as Array<Record<string, any>>;
    expect(after.map((member) => [member["jid"], member["is_admin"]])).toEqual([
      [dewi, true],
      [newcomer, false],
    ]);
    expect(after[0]!["joined_at"]).toBe(dewiJoined);
    const announced = shop.published.filter((event) => event.type === "conversation.updated");
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ conversation: { id: group!["id"], participantCount: 2 } });
    // The change moves the conversation's updated_at, so a client catching up by updated_after sees it.
    const [changed] = await shop.conversations();
    expect(changed!["updated_at"] > group!["updated_at"]).toBe(true);
    expect(changed!["group"]["participant_count"]).toBe(2);
  });

  it("refuses a private conversation (422), another workspace's group and an unknown id (404)", async () => {
    const shop = await groupInbox("refused");
    await shop.report([
      shop.groupUpdate([{ jid: dewi, isAdmin: false }]),
      shop.groupMessage(dewi, "Dewi", "Grup"),
      shop.groupMessage(dewi, "Dewi", "Pribadi", false),
    ]);
    const conversations = await shop.conversations();
    const group = conversations.find((conversation) => conversation["kind"] === "group")!;
    const direct = conversations.find((conversation) => conversation["kind"] === "private")!;
    expect(direct["contact"]).toMatchObject({ phone: "+6281234567890", jid: dewi });

    const refused = await shop.participantsOf(direct["id"]);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("conversations.not_group");

    const stranger = await shop.api.signup("participants-stranger");
    expect((await shop.participantsOf(group["id"], stranger.token, stranger.workspaceId)).status).toBe(404);
    // Their token on this workspace's path: not a member.
    expect((await shop.participantsOf(group["id"], stranger.token)).status).toBe(404);
    expect((await shop.participantsOf(newId())).status).toBe(404);
    expect((await shop.participantsOf("not-a-uuid")).status).toBe(404);
  });
});
