/**
 * The repository contract (ARCHITECTURE.md: one contract suite per port), run on PGlite and, when
 * DATABASE_URL is set, PostgreSQL: what every Store must guarantee on both engines — workspaces kept
 * apart, idempotent inserts, forward-only statuses, keyset paging, rollback — plus the repositories'
 * scenarios kept in files of their own (campaigns.contract.ts, inbound-batches.contract.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../domain/ids.ts";
import { statusesThatCanMoveTo, timestampsStampedBy } from "../domain/messages/message-status.ts";
import type { NewMessage, Store } from "../domain/ports.ts";
import { testEngines } from "../../test/databases.ts";
import { useTestStore } from "../../test/stores.ts";
import { runCampaignsRepositoryContract } from "./campaigns.contract.ts";
import { runInboundBatchRepositoriesContract } from "./inbound-batches.contract.ts";

/** Two workspaces, each with a widget inbox, a visitor and a conversation. */
async function seedTenant(store: Store, label: string) {
  const workspace = await store.workspaces.create({ id: newId(), name: label, slug: `${label}-${newId().slice(-8)}` });
  const inbox = await store.inboxes.create({
    id: newId(),
    workspaceId: workspace.id,
    provider: "web_widget",
    name: `${label} site`,
    status: "ready",
    widgetKey: `wk_${newId().replace(/-/g, "")}`,
    widget: { color: "#000000", position: "left", greeting: null, locale: "auto" },
  });
  const contact = await store.contacts.upsertVisitor({ id: newId(), workspaceId: workspace.id, visitorId: newId(), name: `${label} visitor`, email: null });
  const { conversation } = await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: workspace.id, inboxId: inbox.id, contactId: contact.id });
  return { workspace, inbox, contact, conversation };
}

function outbound(tenant: Awaited<ReturnType<typeof seedTenant>>, overrides: Partial<NewMessage> = {}): NewMessage {
  const createdAt = new Date();
  return {
    id: newId(createdAt),
    workspaceId: tenant.workspace.id,
    inboxId: tenant.inbox.id,
    conversationId: tenant.conversation.id,
    direction: "outbound",
    type: "text",
    body: "hello",
    senderType: "agent",
    senderId: null,
    status: "sent",
    clientMessageId: newId(),
    sentAt: createdAt,
    createdAt,
    ...overrides,
  };
}

describe.each(testEngines())("repositories on %s", (engine) => {
  const testStore = useTestStore(engine);
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  it("keeps a user's language: English by default, changed by setLocale, unknown ids refused", async () => {
    const user = await store.users.create({ id: newId(), name: "Dewi", email: `dewi-${newId()}@example.com`, passwordHash: "x" });
    expect(user.locale).toBe("en");
    expect((await store.users.setLocale(user.id, "id")).locale).toBe("id");
    expect((await store.users.findById(user.id))?.locale).toBe("id");
    const chosen = await store.users.create({ id: newId(), name: "Budi", email: `budi-${newId()}@example.com`, passwordHash: "x", locale: "id" });
    expect(chosen.locale).toBe("id");
    await expect(store.users.setLocale(newId(), "en")).rejects.toMatchObject({ code: "users.not_found" });
  });

  it("finds a caller and their membership by token only while the token lives, and only in their workspaces", async () => {
    const user = await store.users.create({ id: newId(), name: "Sari", email: `sari-${newId()}@example.com`, passwordHash: "x" });
    const own = await store.workspaces.create({ id: newId(), name: "Toko Sari", slug: `sari-${newId().slice(-8)}` });
    const other = await store.workspaces.create({ id: newId(), name: "Toko Lain", slug: `lain-${newId().slice(-8)}` });
    await store.members.add({ workspaceId: own.id, userId: user.id, role: "admin" });
    const now = new Date();
    const tokenId = newId();
    await store.tokens.create({ id: tokenId, userId: user.id, name: "web", tokenHash: `hash-${tokenId}`, expiresAt: new Date(now.getTime() + 60_000) });

    const found = await store.tokens.findMembershipByHash(`hash-${tokenId}`, own.id, now);
    expect(found).toMatchObject({ tokenId, user: { id: user.id }, membership: { role: "admin", workspace: { id: own.id } } });
    expect(await store.tokens.findMembershipByHash(`hash-${tokenId}`, other.id, now)).toMatchObject({ tokenId, membership: null });
    expect(await store.tokens.findMembershipByHash("hash-unknown", own.id, now)).toBeNull();
    // A minute later the token has expired; once revoked it is gone at any time.
    expect(await store.tokens.findMembershipByHash(`hash-${tokenId}`, own.id, new Date(now.getTime() + 60_001))).toBeNull();
    expect(await store.tokens.revoke(user.id, tokenId, now)).toBe(true);
    expect(await store.tokens.findMembershipByHash(`hash-${tokenId}`, own.id, now)).toBeNull();
  });

  it("keeps workspaces apart: another workspace's id finds nothing", async () => {
    const a = await seedTenant(store, "alpha");
    const b = await seedTenant(store, "beta");
    expect(await store.conversations.findById(a.workspace.id, a.conversation.id)).not.toBeNull();
    expect(await store.conversations.findById(b.workspace.id, a.conversation.id)).toBeNull();
    expect(await store.inboxes.findById(b.workspace.id, a.inbox.id)).toBeNull();
    expect(await store.contacts.findById(b.workspace.id, a.contact.id)).toBeNull();
    const { message } = await store.messages.insertIdempotent(outbound(a));
    expect(await store.messages.findById(b.workspace.id, message.id)).toBeNull();
    expect(await store.messages.list(b.workspace.id, a.conversation.id, { limit: 50 })).toEqual([]);
    expect((await store.conversations.list(b.workspace.id, { limit: 50 })).map((c) => c.id)).not.toContain(a.conversation.id);
  });

  it("creates one message per client_message_id", async () => {
    const tenant = await seedTenant(store, "idem");
    const draft = outbound(tenant);
    const first = await store.messages.insertIdempotent(draft);
    const second = await store.messages.insertIdempotent({ ...draft, id: newId(), body: "changed" });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.message.id).toBe(first.message.id);
    expect(second.message.body).toBe("hello");
    expect(await store.messages.list(tenant.workspace.id, tenant.conversation.id, { limit: 50 })).toHaveLength(1);
  });

  it("gets or creates one conversation per (inbox, contact) under concurrent calls", async () => {
    const tenant = await seedTenant(store, "race");
    const contact = await store.contacts.upsertVisitor({ id: newId(), workspaceId: tenant.workspace.id, visitorId: "v-race", name: null, email: null });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: tenant.workspace.id, inboxId: tenant.inbox.id, contactId: contact.id }),
      ),
    );
    expect(new Set(results.map((result) => result.conversation.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it("pages messages oldest first with before/after cursors", async () => {
    const tenant = await seedTenant(store, "paging");
    const ids: string[] = [];
    for (let index = 0; index < 7; index++) {
      const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, index));
      const { message } = await store.messages.insertIdempotent(outbound(tenant, { id: newId(createdAt), createdAt, body: `m${index}` }));
      ids.push(message.id);
    }
    const newest = await store.messages.list(tenant.workspace.id, tenant.conversation.id, { limit: 3 });
    expect(newest.map((m) => m.body)).toEqual(["m4", "m5", "m6"]);
    const older = await store.messages.list(tenant.workspace.id, tenant.conversation.id, { limit: 3, beforeId: newest[0]!.id });
    expect(older.map((m) => m.body)).toEqual(["m1", "m2", "m3"]);
    const after = await store.messages.list(tenant.workspace.id, tenant.conversation.id, { limit: 10, afterId: ids[4]! });
    expect(after.map((m) => m.body)).toEqual(["m5", "m6"]);
  });

  it("advances statuses forward only, once, stamping each time once", async () => {
    const tenant = await seedTenant(store, "status");
    const first = (await store.messages.insertIdempotent(outbound(tenant))).message;
    const second = (await store.messages.insertIdempotent(outbound(tenant))).message;
    const advance = (to: "delivered" | "read", upToId: string) =>
      store.messages.advanceStatusUpTo({
        conversationId: tenant.conversation.id,
        direction: "outbound",
        upToId,
        to,
        fromStatuses: statusesThatCanMoveTo(to),
        stamps: timestampsStampedBy(to),
        at: new Date(),
      });
    const read = await advance("read", first.id);
    expect(read.map((m) => m.id)).toEqual([first.id]);
    expect(read[0]!.readAt).toBeInstanceOf(Date);
    expect(read[0]!.deliveredAt).toBeInstanceOf(Date);
    expect(await advance("read", first.id)).toEqual([]);
    const delivered = await advance("delivered", second.id);
    expect(delivered.map((m) => m.id)).toEqual([second.id]);
    const after = await store.messages.findById(tenant.workspace.id, first.id);
    expect(after!.status).toBe("read");
  });

  it("advances one message: the provider's id, the sending inbox and a failure's reason written once, stamps kept, another workspace's id refused", async () => {
    const tenant = await seedTenant(store, "advance");
    const other = await seedTenant(store, "advance-other");
    const pending = (await store.messages.insertIdempotent(outbound(tenant, { status: "pending", sentAt: null }))).message;
    const sentAt = new Date("2026-11-30T10:00:00.000Z");
    const toSent = {
      workspaceId: tenant.workspace.id,
      id: pending.id,
      to: "sent",
      fromStatuses: statusesThatCanMoveTo("sent"),
      stamps: timestampsStampedBy("sent"),
    } as const;
    expect(await store.messages.advanceStatus({ ...toSent, workspaceId: other.workspace.id, at: sentAt, providerMessageId: "wamid.A" })).toBeNull();
    const sent = await store.messages.advanceStatus({ ...toSent, at: sentAt, providerMessageId: "wamid.A", sentViaInboxId: other.inbox.id });
    expect(sent).toMatchObject({ status: "sent", providerMessageId: "wamid.A", sentAt });
    // Already sent: nothing moves, and the first sent_at stays.
    expect(await store.messages.advanceStatus({ ...toSent, at: new Date(), providerMessageId: "wamid.B" })).toBeNull();
    const failedAt = new Date("2026-11-30T10:00:05.000Z");
    const failed = await store.messages.advanceStatus({
      workspaceId: tenant.workspace.id,
      id: pending.id,
      to: "failed",
      fromStatuses: statusesThatCanMoveTo("failed"),
      stamps: [],
      at: failedAt,
      failedReason: "131026: Message undeliverable",
    });
    expect(failed).toMatchObject({
      status: "failed",
      failedReason: "131026: Message undeliverable",
      providerMessageId: "wamid.A",
      sentAt,
      updatedAt: failedAt,
    });
  });

  it("keeps the newest message as the conversation's last message and counts unread", async () => {
    const tenant = await seedTenant(store, "summary");
    const newer = (await store.messages.insertIdempotent(outbound(tenant, { body: "newer" }))).message;
    await store.conversations.recordMessages([{ conversationId: tenant.conversation.id, message: newer, unreadIncrement: 1 }]);
    const olderAt = new Date(Date.now() - 60_000);
    const older = (await store.messages.insertIdempotent(outbound(tenant, { id: newId(olderAt), createdAt: olderAt, body: "older" }))).message;
    await store.conversations.recordMessages([{ conversationId: tenant.conversation.id, message: older, unreadIncrement: 1 }]);
    const summary = await store.conversations.findSummary(tenant.workspace.id, tenant.conversation.id);
    expect(summary!.lastMessage!.body).toBe("newer");
    expect(summary!.unreadCount).toBe(2);
    expect(summary!.contact!.name).toBe("summary visitor");
    expect((await store.conversations.resetUnread(tenant.workspace.id, tenant.conversation.id))!.unreadCount).toBe(0);
  });

  it("rolls a failed transaction back entirely", async () => {
    const tenant = await seedTenant(store, "rollback");
    const draft = outbound(tenant);
    await expect(
      store.transaction(async (repositories) => {
        await repositories.messages.insertIdempotent(draft);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.messages.findById(tenant.workspace.id, draft.id)).toBeNull();
  });

  it("lists conversations with messages, newest activity first, with a keyset cursor and filters", async () => {
    const tenant = await seedTenant(store, "listing");
    const say = async (conversationId: string, at: Date) => {
      const { message } = await store.messages.insertIdempotent(outbound(tenant, { id: newId(at), createdAt: at, conversationId }));
      await store.conversations.recordMessages([{ conversationId, message, unreadIncrement: 0 }]);
    };
    const ids: string[] = [tenant.conversation.id];
    await say(tenant.conversation.id, new Date(Date.UTC(2026, 0, 1, 10)));
    for (let index = 0; index < 3; index++) {
      const contact = await store.contacts.upsertVisitor({
        id: newId(),
        workspaceId: tenant.workspace.id,
        visitorId: `list-${index}`,
        name: `n${index}`,
        email: null,
      });
      const { conversation } = await store.conversations.getOrCreatePrivate({
        id: newId(),
        workspaceId: tenant.workspace.id,
        inboxId: tenant.inbox.id,
        contactId: contact.id,
      });
      await say(conversation.id, new Date(Date.UTC(2026, 0, 1, 11 + index)));
      ids.push(conversation.id);
    }
    const silent = await store.contacts.upsertVisitor({ id: newId(), workspaceId: tenant.workspace.id, visitorId: "silent", name: "silent", email: null });
    await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: tenant.workspace.id, inboxId: tenant.inbox.id, contactId: silent.id });

    const first = await store.conversations.list(tenant.workspace.id, { limit: 2, inboxId: tenant.inbox.id });
    expect(first.map((c) => c.id)).toEqual([ids[3], ids[2]]);
    const rest = await store.conversations.list(tenant.workspace.id, {
      limit: 10,
      inboxId: tenant.inbox.id,
      after: { lastMessageAt: first[1]!.lastMessageAt, id: first[1]!.id },
    });
    expect(rest.map((c) => c.id)).toEqual([ids[1], ids[0]]);
    await store.conversations.update(tenant.workspace.id, ids[0]!, { status: "resolved" });
    const resolved = await store.conversations.list(tenant.workspace.id, { limit: 10, status: "resolved", inboxId: tenant.inbox.id });
    expect(resolved.map((c) => c.id)).toEqual([ids[0]]);
  });

  it("finds contacts by name, e-mail or phone", async () => {
    const tenant = await seedTenant(store, "search");
    await store.contacts.upsertVisitor({ id: newId(), workspaceId: tenant.workspace.id, visitorId: "s1", name: "Ada Lovelace", email: "ada@example.com" });
    await store.contacts.upsertVisitor({ id: newId(), workspaceId: tenant.workspace.id, visitorId: "s2", name: "Grace Hopper", email: "grace@example.com" });
    expect((await store.contacts.search(tenant.workspace.id, { q: "lovel", limit: 10 })).map((c) => c.name)).toEqual(["Ada Lovelace"]);
    expect((await store.contacts.search(tenant.workspace.id, { q: "grace@", limit: 10 })).map((c) => c.name)).toEqual(["Grace Hopper"]);
    expect(await store.contacts.search(tenant.workspace.id, { q: "100%_", limit: 10 })).toEqual([]);
  });

  it("trains on a workspace's own inbound intent corrections, newest first, and keeps one model per workspace", async () => {
    const a = await seedTenant(store, "classifier-a");
    const b = await seedTenant(store, "classifier-b");
    const customer = (body: string, at: Date) =>
      outbound(a, { id: newId(at), body, direction: "inbound", senderType: "contact", status: "delivered", createdAt: at, sentAt: null });
    const older = (await store.messages.insertIdempotent(customer("slot servis sabtu?", new Date(Date.now() - 60_000)))).message;
    const newer = (await store.messages.insertIdempotent(customer("mogok lagi", new Date()))).message;
    await store.messages.insertIdempotent(outbound(a, { body: "an agent's reply is never an example" }));
    await store.enrichment.correct(a.workspace.id, older.id, { intent: "purchase", by: "u", at: "2026-01-01T00:00:00.000Z" }, null);
    await store.enrichment.correct(a.workspace.id, newer.id, { intent: "complaint", by: "u", at: "2026-01-02T00:00:00.000Z" }, null);
    await store.enrichment.correct(a.workspace.id, newer.id, { sentiment: "negative", by: "u", at: "2026-01-03T00:00:00.000Z" }, null);
    expect(await store.intentClassifiers.trainingExamples(a.workspace.id, 10)).toEqual([
      { text: "mogok lagi", language: "und", intent: "complaint" },
      { text: "slot servis sabtu?", language: "und", intent: "purchase" },
    ]);
    expect(await store.intentClassifiers.trainingExamples(b.workspace.id, 10)).toEqual([]);

    const trainedAt = new Date("2026-02-01T00:00:00.000Z");
    await store.intentClassifiers.save(a.workspace.id, { model: "m1", examples: 2, intents: ["complaint", "purchase"], trainedAt });
    await store.intentClassifiers.save(a.workspace.id, { model: "m2", examples: 3, intents: ["complaint", "purchase"], trainedAt });
    expect(await store.intentClassifiers.find(a.workspace.id)).toEqual({ model: "m2", examples: 3, intents: ["complaint", "purchase"], trainedAt });
    expect(await store.intentClassifiers.trainedAt(a.workspace.id)).toEqual(trainedAt);
    expect(await store.intentClassifiers.find(b.workspace.id)).toBeNull();
    await store.intentClassifiers.remove(a.workspace.id);
    expect(await store.intentClassifiers.trainedAt(a.workspace.id)).toBeNull();
  });

  // A repository with many scenarios keeps them in a file of its own, registered here so it runs
  // on the same engines and the same store as the rest.
  describe("campaigns repository", () => runCampaignsRepositoryContract(testStore));
  describe("inbound batch repositories", () => runInboundBatchRepositoriesContract(testStore));
});
