/**
 * A chunk of history the phone pushed, imported within the sync's limits: the most recently
 * active chats of the window only, each with its last messages, as read history; a group the
 * push names without its members keeps the subject and members Parley knows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestStore } from "../../../test/stores.ts";
import { createWhatsappWebInbox } from "../../../test/whatsapp-web.ts";
import { systemClock } from "../clock.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { receiveInbound } from "../messages/receive-inbound.ts";
import type { Store } from "../ports.ts";
import type { EngineMessage } from "./engine.ts";
import { importHistoryPush } from "./history-import.ts";

const day = 24 * 60 * 60 * 1000;
const limits = { maxChats: 2, syncWindowDays: 30, messagesPerChat: 2, eventsPerTransaction: 3 };

function message(chat: string, body: string, ageMs: number, sender = chat): EngineMessage {
  return {
    id: `3EB0${newId().replace(/-/g, "").slice(-16).toUpperCase()}`,
    chat,
    sender,
    senderName: null,
    fromMe: false,
    sentAt: new Date(Date.now() - ageMs),
    type: "text",
    body,
    media: null,
    location: null,
    contacts: null,
    quotedId: null,
  };
}

describe("importing a history push", () => {
  const testStore = useTestStore("pglite");
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  const newInbox = () => createWhatsappWebInbox(store, "baileys");
  const deps = () => ({ store, events: { publish: async () => {} }, clock: systemClock });
  const threads = async (inbox: Inbox) => {
    const conversations = await store.conversations.list(inbox.workspaceId, { limit: 10 });
    return Promise.all(
      conversations.map(async (conversation) => ({
        phone: conversation.contact?.phone ?? conversation.groupName,
        unread: conversation.unreadCount,
        bodies: (await store.messages.list(inbox.workspaceId, conversation.id, { limit: 10 })).map((stored) => stored.body),
      })),
    );
  };

  it("takes the most recently active chats of the window, each with its last messages, as read history, and only once", async () => {
    const inbox = await newInbox();
    const busy = "6281200000001@s.whatsapp.net";
    const quiet = "6281200000002@s.whatsapp.net";
    const older = "6281200000003@s.whatsapp.net";
    const stale = "6281200000004@s.whatsapp.net";
    const push = {
      chats: [stale, older, quiet, busy].map((jid) => ({ jid, name: null, isGroup: false, lastMessageAt: null })),
      messages: [
        message(busy, "satu", 3 * 60_000),
        message(busy, "dua", 2 * 60_000),
        message(busy, "tiga", 60_000),
        message(quiet, "kemarin", day),
        message(older, "lusa", 2 * day),
        message(stale, "bulan lalu", 40 * day),
      ],
    };
    const outcome = await importHistoryPush(deps(), inbox, push, limits);
    expect(outcome).toMatchObject({ stored: 3, duplicates: 0 });
    expect(await threads(inbox)).toEqual([
      { phone: "+6281200000001", unread: 0, bodies: ["dua", "tiga"] },
      { phone: "+6281200000002", unread: 0, bodies: ["kemarin"] },
    ]);

    expect(await importHistoryPush(deps(), inbox, push, limits)).toMatchObject({ stored: 0, duplicates: 3 });
    expect(await threads(inbox)).toHaveLength(2);
  });

  it("keeps a group's subject and members when the push names the group without them", async () => {
    const inbox = await newInbox();
    const group = "120363000000000001@g.us";
    const member = "6281200000005@s.whatsapp.net";
    const members = [
      { jid: member, isAdmin: true },
      { jid: "6281200000006@s.whatsapp.net", isAdmin: false },
    ];
    await receiveInbound(deps(), inbox, [{ kind: "group", jid: group, subject: "Reseller Jakarta", participants: members, at: new Date() }]);

    await importHistoryPush(
      deps(),
      inbox,
      { chats: [{ jid: group, name: null, isGroup: true, lastMessageAt: null }], messages: [message(group, "stok ready?", 60_000, member)] },
      limits,
    );
    const [conversation] = await store.conversations.list(inbox.workspaceId, { limit: 10 });
    expect(conversation).toMatchObject({ kind: "group", groupName: "Reseller Jakarta", participantCount: 2, unreadCount: 0 });
    expect((await store.messages.list(inbox.workspaceId, conversation!.id, { limit: 10 })).map((stored) => stored.body)).toEqual(["stok ready?"]);
  });
});
