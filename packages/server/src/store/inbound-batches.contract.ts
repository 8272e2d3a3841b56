/**
 * The repository methods that apply a batch of webhook deliveries in a handful of statements: they
 * must give the same answers as one-at-a-time processing would. Part of the repository contract:
 * repositories.contract.test.ts runs it on PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { beforeAll, expect, it } from "vitest";
import { phoneMatchCandidates } from "../domain/contacts/phone.ts";
import { newId } from "../domain/ids.ts";
import { statusesThatCanMoveTo, timestampsStampedBy } from "../domain/messages/message-status.ts";
import type { NewMessage, Store } from "../domain/ports.ts";

async function seedCloudInbox(store: Store, label: string) {
  const workspace = await store.workspaces.create({ id: newId(), name: label, slug: `${label}-${newId().slice(-8)}` });
  const inbox = await store.inboxes.create({
    id: newId(),
    workspaceId: workspace.id,
    provider: "whatsapp_cloud",
    name: `${label} number`,
    status: "ready",
    widgetKey: null,
    widget: null,
  });
  return { workspace, inbox };
}

const draft = (phone: string, name: string | null = null) => ({ id: newId(), phone, candidates: phoneMatchCandidates(phone), name });

/**
 * Registers the inbound batch scenarios in the caller's `describe`, against the store `testStore`
 * returns (opened by the caller's `beforeAll`). Each scenario seeds its own workspace, and counts
 * of work waiting are compared with the count before, so the store may be shared.
 */
export function runInboundBatchRepositoriesContract(testStore: () => Store): void {
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  it("finds or creates one contact per person, 9th-digit forms included, within the workspace only", async () => {
    const { workspace } = await seedCloudInbox(store, "contacts");
    const other = await seedCloudInbox(store, "elsewhere");
    const [stored] = [...(await store.contacts.upsertManyByPhone(workspace.id, [draft("+551187654321")])).values()];
    const foreign = (await store.contacts.upsertManyByPhone(other.workspace.id, [draft("+5511976543210", "Other workspace")])).get("+5511976543210")!;

    const found = await store.contacts.upsertManyByPhone(workspace.id, [
      draft("+5511987654321", "Ana"),
      draft("+5511976543210", "Bruno"),
      draft("+551176543210", "Bruno again"),
      draft("+6281234567890", "Citra"),
    ]);
    // The stored 8-digit form and the new 9-digit form are one person, whose name is filled in.
    expect(found.get("+5511987654321")).toMatchObject({ id: stored!.id, name: "Ana" });
    // Two forms of a new number in one batch make one contact, not two.
    expect(found.get("+551176543210")!.id).toBe(found.get("+5511976543210")!.id);
    expect(found.get("+5511976543210")!.id).not.toBe(foreign.id);
    expect(found.get("+6281234567890")).toMatchObject({ phone: "+6281234567890", name: "Citra" });
    expect(await store.contacts.search(workspace.id, { limit: 10 })).toHaveLength(3);
  });

  it("resolves a history sync's thousands of numbers: each to its own contact, the unnamed ones named by their first entry", async () => {
    const { workspace } = await seedCloudInbox(store, "contacts-many");
    const phone = (index: number) => `+62812${String(index).padStart(7, "0")}`;
    // Half of them stored before, every tenth of those without a name.
    const before = await store.contacts.upsertManyByPhone(
      workspace.id,
      Array.from({ length: 1500 }, (_, index) => draft(phone(index), index % 10 === 0 ? null : `Stored ${index}`)),
    );
    const entries = Array.from({ length: 3000 }, (_, index) => draft(phone(index), `Synced ${index}`));
    const found = await store.contacts.upsertManyByPhone(workspace.id, entries);
    expect(found.size).toBe(3000);
    expect(new Set([...found.values()].map((contact) => contact.id)).size).toBe(3000);
    for (const index of [0, 10, 1490]) expect(found.get(phone(index))).toMatchObject({ id: before.get(phone(index))!.id, name: `Synced ${index}` });
    for (const index of [1, 1499]) expect(found.get(phone(index))).toMatchObject({ id: before.get(phone(index))!.id, name: `Stored ${index}` });
    for (const index of [1500, 2999]) expect(found.get(phone(index))).toMatchObject({ phone: phone(index), name: `Synced ${index}` });
    const named = await store.contacts.findByPhones(workspace.id, [phone(0), phone(1)]);
    expect(named.map((contact) => contact.name).sort()).toEqual(["Stored 1", "Synced 0"]);
  });

  it("gets or creates the conversations of many contacts at once, one per (inbox, contact) under concurrent calls", async () => {
    const { workspace, inbox } = await seedCloudInbox(store, "conversations");
    const contacts = [...(await store.contacts.upsertManyByPhone(workspace.id, [draft("+6281111111111"), draft("+6282222222222")])).values()];
    const first = await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: workspace.id, inboxId: inbox.id, contactId: contacts[0]!.id });
    const ids = new Map(contacts.map((contact) => [contact.id, newId()]));
    const [a, b] = await Promise.all([
      store.conversations.getOrCreatePrivateMany({ workspaceId: workspace.id, inboxId: inbox.id, ids }),
      store.conversations.getOrCreatePrivateMany({
        workspaceId: workspace.id,
        inboxId: inbox.id,
        ids: new Map(contacts.map((contact) => [contact.id, newId()])),
      }),
    ]);
    expect(a.get(contacts[0]!.id)).toEqual({ conversation: first.conversation, created: false });
    expect(a.get(contacts[1]!.id)!.conversation.id).toBe(b.get(contacts[1]!.id)!.conversation.id);
    expect([a.get(contacts[1]!.id)!.created, b.get(contacts[1]!.id)!.created].sort()).toEqual([false, true]);
  });

  it("creates one group conversation under ten concurrent deliveries, keeping its subject and exactly its members", async () => {
    const { workspace, inbox } = await seedCloudInbox(store, "groups");
    const jid = "120363012345678901@g.us";
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store.conversations.getOrCreateGroupMany({
          workspaceId: workspace.id,
          inboxId: inbox.id,
          groups: new Map([[jid, { id: newId(), subject: index === 0 ? "Reseller" : null }]]),
        }),
      ),
    );
    const ids = new Set(results.map((result) => result.get(jid)!.conversation.id));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => result.get(jid)!.created)).toHaveLength(1);
    const [conversationId] = ids;
    const members = [
      { jid: "6281111111111@s.whatsapp.net", isAdmin: true },
      { jid: "6282222222222@s.whatsapp.net", isAdmin: false },
    ];
    await store.conversations.replaceGroupParticipants(workspace.id, conversationId!, members, new Date());
    await store.conversations.replaceGroupParticipants(workspace.id, conversationId!, [{ jid: members[1]!.jid, isAdmin: true }], new Date());
    const [summary] = await store.conversations.findSummaries(workspace.id, [conversationId!]);
    expect(summary).toMatchObject({ kind: "group", groupJid: jid, groupName: "Reseller", participantCount: 1 });
    expect(await store.conversations.listGroupParticipants(workspace.id, conversationId!)).toEqual([
      { jid: members[1]!.jid, name: null, isAdmin: true, joinedAt: expect.any(Date) },
    ]);
    const other = await seedCloudInbox(store, "groups-elsewhere");
    expect(await store.conversations.listGroupParticipants(other.workspace.id, conversationId!)).toEqual([]);
  });

  async function seedConversation(label: string) {
    const { workspace, inbox } = await seedCloudInbox(store, label);
    const contact = (await store.contacts.upsertManyByPhone(workspace.id, [draft("+6281234500000", "Dewi")])).get("+6281234500000")!;
    const { conversation } = await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: workspace.id, inboxId: inbox.id, contactId: contact.id });
    const message = (overrides: Partial<NewMessage>): NewMessage => {
      const at = overrides.createdAt ?? new Date();
      return {
        id: newId(at),
        workspaceId: workspace.id,
        inboxId: inbox.id,
        conversationId: conversation.id,
        direction: "inbound",
        type: "text",
        body: "halo kak",
        senderType: "contact",
        senderId: contact.id,
        status: "sent",
        clientMessageId: null,
        providerMessageId: `wamid.${newId()}`,
        sentAt: at,
        createdAt: at,
        ...overrides,
      };
    };
    return { workspace, inbox, contact, conversation, message };
  }

  it("inserts many messages in one statement, skipping provider ids that exist, oldest first", async () => {
    const { workspace, message } = await seedConversation("insert-many");
    const earlier = message({ providerMessageId: "wamid.repeat" });
    expect(await store.messages.insertMany([earlier])).toHaveLength(1);
    const older = message({ createdAt: new Date(Date.now() - 5_000), body: "older" });
    const newer = message({ body: "newer" });
    const inserted = await store.messages.insertMany([newer, message({ providerMessageId: "wamid.repeat", body: "again" }), older]);
    expect(inserted.map((row) => row.body)).toEqual(["older", "newer"]);
    expect(inserted[0]).toMatchObject({ workspaceId: workspace.id, direction: "inbound", senderName: "Dewi" });
    const ids = await store.messages.idsByProviderMessageIds(earlier.inboxId, ["wamid.repeat", older.providerMessageId!, "wamid.unknown"]);
    expect(ids).toEqual(
      new Map([
        ["wamid.repeat", earlier.id],
        [older.providerMessageId!, older.id],
      ]),
    );
  });

  it("records several messages on their conversation in one statement: newest preview, unread sum, window, reopen", async () => {
    const { workspace, conversation, message } = await seedConversation("record");
    await store.conversations.update(workspace.id, conversation.id, { status: "resolved" });
    const newerAt = new Date(Date.now() - 1_000);
    const olderAt = new Date(Date.now() - 60_000);
    const [older, newer] = await store.messages.insertMany([message({ createdAt: olderAt, body: "older" }), message({ createdAt: newerAt, body: "newer" })]);
    await store.conversations.recordMessages([
      { conversationId: conversation.id, message: newer!, unreadIncrement: 1, inboundAt: newerAt, reopen: true },
      { conversationId: conversation.id, message: older!, unreadIncrement: 1, inboundAt: olderAt, reopen: true },
    ]);
    const summary = (await store.conversations.findSummary(workspace.id, conversation.id))!;
    expect(summary).toMatchObject({ status: "open", unreadCount: 2, lastMessage: { body: "newer" } });
    expect(summary.lastInboundAt).toEqual(newerAt);
    // A late delivery of an older message moves neither the preview nor the window back.
    const [late] = await store.messages.insertMany([message({ createdAt: new Date(Date.now() - 120_000), body: "late" })]);
    await store.conversations.recordMessages([{ conversationId: conversation.id, message: late!, unreadIncrement: 1, inboundAt: late!.createdAt }]);
    const after = (await store.conversations.findSummary(workspace.id, conversation.id))!;
    expect(after).toMatchObject({ unreadCount: 3, lastMessage: { body: "newer" } });
    expect(after.lastInboundAt).toEqual(newerAt);
    expect(await store.conversations.findSummaries(workspace.id, [conversation.id, newId()])).toHaveLength(1);
  });

  it("moves many outbound messages forward by provider id, never back, and only in the inbox named", async () => {
    const { inbox, message } = await seedConversation("statuses");
    const other = await seedConversation("statuses-other");
    const outbound = (providerMessageId: string, status: "sent" | "read") =>
      message({ direction: "outbound", senderType: "agent", senderId: null, providerMessageId, status, clientMessageId: newId() });
    await store.messages.insertMany([outbound("wamid.one", "sent"), outbound("wamid.two", "read")]);
    await store.messages.insertMany([
      other.message({ direction: "outbound", senderType: "agent", senderId: null, providerMessageId: "wamid.three", status: "sent" }),
    ]);
    const at = new Date(Date.now() - 10_000);
    const change = (providerMessageId: string, to: "delivered" | "failed") => ({
      providerMessageId,
      to,
      fromStatuses: statusesThatCanMoveTo(to),
      stamps: timestampsStampedBy(to),
      at,
      failedReason: to === "failed" ? "Message undeliverable" : null,
    });
    const { changed, found } = await store.messages.advanceStatusesByProviderId(inbox.id, [
      change("wamid.one", "delivered"),
      change("wamid.two", "delivered"),
      change("wamid.three", "delivered"),
      change("wamid.never", "delivered"),
    ]);
    expect(changed.map((row) => [row.providerMessageId, row.status])).toEqual([["wamid.one", "delivered"]]);
    expect(changed[0]!.deliveredAt).toEqual(at);
    // Which ids it found: this inbox's outbound messages, moved or not, not another inbox's.
    expect(found).toEqual(new Set(["wamid.one", "wamid.two"]));
    // Applied again: found, and nothing moves twice.
    expect(await store.messages.advanceStatusesByProviderId(inbox.id, [change("wamid.one", "delivered")])).toEqual({
      changed: [],
      found: new Set(["wamid.one"]),
    });
    await expect(store.messages.advanceStatusesByProviderId(inbox.id, [change("wamid.one", "failed"), change("wamid.one", "failed")])).rejects.toThrow(
      "at most one change",
    );
    expect(await store.messages.advanceStatusesByProviderId(inbox.id, [])).toEqual({ changed: [], found: new Set() });
  });

  it("claims an inbox's waiting deliveries oldest first, keeps failed attempts, and lists and counts the work waiting", async () => {
    const { workspace, inbox } = await seedCloudInbox(store, "deliveries");
    const waitingBefore = await store.webhookDeliveries.countWaiting();
    const receivedAt = new Date();
    const ids = [0, 1, 2].map((index) => newId(new Date(receivedAt.getTime() + index)));
    await store.webhookDeliveries.createMany(
      ids.map((id, index) => ({
        id,
        workspaceId: workspace.id,
        inboxId: inbox.id,
        body: `{"n":${index}}`,
        receivedAt: new Date(receivedAt.getTime() + index),
      })),
    );
    expect(await store.webhookDeliveries.inboxesWithWaiting()).toContain(inbox.id);
    expect(await store.webhookDeliveries.countWaiting()).toBe(waitingBefore + 3);
    const first = await store.transaction(async (repositories) => {
      const claimed = await repositories.webhookDeliveries.claimWaiting(inbox.id, 2);
      await repositories.webhookDeliveries.markProcessed(
        claimed.map((row) => row.id),
        new Date(),
      );
      return claimed;
    });
    expect(first.map((row) => row.body)).toEqual(['{"n":0}', '{"n":1}']);
    expect(await store.webhookDeliveries.countWaiting()).toBe(waitingBefore + 1);
    expect(await store.webhookDeliveries.recordFailedAttempt(ids[2]!, "deadlock detected", new Date())).toBe(1);
    expect(await store.webhookDeliveries.recordFailedAttempt(ids[2]!, "deadlock detected", new Date())).toBe(2);
    const rest = await store.transaction((repositories) => repositories.webhookDeliveries.claimWaiting(inbox.id, 10));
    expect(rest).toEqual([{ id: ids[2], workspaceId: workspace.id, inboxId: inbox.id, body: '{"n":2}', attempts: 2 }]);
    await store.webhookDeliveries.markFailed(ids[2]!, "deadlock detected", new Date());
    expect(await store.transaction((repositories) => repositories.webhookDeliveries.claimWaiting(inbox.id, 10))).toEqual([]);
    expect(await store.webhookDeliveries.inboxesWithWaiting()).not.toContain(inbox.id);
    expect(await store.webhookDeliveries.countWaiting()).toBe(waitingBefore);
  });

  it("deletes deliveries settled before a time, no more than asked at once, never a waiting one", async () => {
    const { workspace, inbox } = await seedCloudInbox(store, "retention");
    const longAgo = new Date("2001-01-01T00:00:00Z");
    const at = (days: number) => new Date(longAgo.getTime() + days * 86_400_000);
    const ids = [0, 1, 2, 3, 4].map((index) => newId(at(index)));
    await store.webhookDeliveries.createMany(
      ids.map((id, index) => ({ id, workspaceId: workspace.id, inboxId: inbox.id, body: `{"n":${index}}`, receivedAt: at(index) })),
    );
    // 0 and 1 processed long ago, 2 failed long ago, 3 processed later, 4 still waiting (received long ago).
    await store.webhookDeliveries.markProcessed([ids[1]!], at(1));
    await store.webhookDeliveries.markProcessed([ids[0]!], at(0));
    await store.webhookDeliveries.markFailed(ids[2]!, "malformed", at(2));
    await store.webhookDeliveries.markProcessed([ids[3]!], at(30));
    const waitingBefore = await store.webhookDeliveries.countWaiting();

    expect(await store.webhookDeliveries.deleteSettledBefore(at(10), 1)).toBe(1);
    expect(await store.webhookDeliveries.deleteSettledBefore(at(10), 10)).toBe(2);
    expect(await store.webhookDeliveries.deleteSettledBefore(at(10), 10)).toBe(0);
    expect(await store.webhookDeliveries.countWaiting()).toBe(waitingBefore);
    // The later one and the waiting one are left; the waiting one is still claimable.
    expect(await store.webhookDeliveries.deleteSettledBefore(at(31), 10)).toBe(1);
    const left = await store.transaction((repositories) => repositories.webhookDeliveries.claimWaiting(inbox.id, 10));
    expect(left.map((row) => row.id)).toEqual([ids[4]]);
  });
}
