/**
 * An ack racing the write of its send's provider message id, on PostgreSQL: the ack's statement
 * does not see the id yet, and the write commits right after it. Seen in CI (a campaign sent from
 * the campaign thread, acks 25 ms after each send): a later lookup found the id "known", the
 * status was neither applied nor tried again, and the message stayed at one tick for good.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneMatchCandidates } from "../src/domain/contacts/phone.ts";
import { newId } from "../src/domain/ids.ts";
import { applyInbound } from "../src/domain/messages/receive-inbound.ts";
import type { JobScheduler } from "../src/domain/jobs.ts";
import type { MessageRepository, Repositories, Store } from "../src/domain/ports.ts";
import { createStore } from "../src/store/store.ts";
import { openTestDatabase, type TestDatabase } from "./databases.ts";

describe.skipIf(!process.env["DATABASE_URL"])("a status whose send's provider id is written while it is applied (PostgreSQL)", () => {
  let database: TestDatabase;
  let store: Store;
  const scheduled: Array<{ name: string; payload: any; delayMs: number | undefined }> = [];
  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    const jobs = (): JobScheduler => ({
      schedule: async (name, payload, options) => {
        scheduled.push({ name, payload, delayMs: options?.delayMs });
      },
    });
    store = createStore(database.handle.db, { jobs });
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it("is tried again later rather than lost, and then moves the message", async () => {
    const workspace = await store.workspaces.create({ id: newId(), name: "Race", slug: `race-${newId().slice(-8)}` });
    const inbox = await store.inboxes.create({
      id: newId(),
      workspaceId: workspace.id,
      provider: "whatsapp_cloud",
      name: "Race number",
      status: "ready",
      widgetKey: null,
      widget: null,
    });
    const phone = "+6281234500001";
    const contact = (await store.contacts.upsertManyByPhone(workspace.id, [{ id: newId(), phone, candidates: phoneMatchCandidates(phone), name: "Sari" }])).get(
      phone,
    )!;
    const { conversation } = await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: workspace.id, inboxId: inbox.id, contactId: contact.id });
    const createdAt = new Date();
    const [message] = await store.messages.insertMany([
      {
        id: newId(createdAt),
        workspaceId: workspace.id,
        inboxId: inbox.id,
        conversationId: conversation.id,
        direction: "outbound",
        type: "text",
        body: "Pesanan Kakak sudah siap",
        senderType: "agent",
        senderId: null,
        status: "pending",
        clientMessageId: newId(),
        sentAt: null,
        createdAt,
      },
    ]);
    const providerMessageId = `wamid.${newId()}`;

    // The send's outcome, written by another connection (the campaign thread, another node):
    // under way, not committed, when the ack's statement starts.
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      await writer.query("begin");
      await writer.query("update messages set status = 'sent', provider_message_id = $1, sent_at = now() where id = $2", [providerMessageId, message!.id]);
      const committedAfterTheAck = (repositories: Repositories): Repositories => {
        const messages: MessageRepository = new Proxy(repositories.messages, {
          get(target, property, receiver) {
            if (property !== "advanceStatusesByProviderId") return Reflect.get(target, property, receiver);
            return async (...args: Parameters<MessageRepository["advanceStatusesByProviderId"]>) => {
              const advanced = await target.advanceStatusesByProviderId(...args);
              await writer.query("commit");
              return advanced;
            };
          },
        });
        return { ...repositories, messages };
      };

      const ack = { kind: "status" as const, providerMessageId, status: "delivered" as const, at: new Date(), error: null };
      const applied = await store.transaction((repositories) => applyInbound(committedAfterTheAck(repositories), new Date(), inbox, [ack]));
      expect(applied.outcome).toMatchObject({ statusChanges: 0, ignored: 1 });
      expect(scheduled).toEqual([
        {
          name: "messages.late-statuses",
          payload: expect.objectContaining({ inboxId: inbox.id, attempt: 1, statuses: [expect.objectContaining({ providerMessageId, status: "delivered" })] }),
          delayMs: 2_000,
        },
      ]);

      // The job's try, once the write has committed: the message gets its second tick.
      const retried = await store.transaction((repositories) => applyInbound(repositories, new Date(), inbox, [ack], { lateStatusAttempt: 1 }));
      expect(retried.outcome).toMatchObject({ statusChanges: 1, ignored: 0 });
      expect(await store.messages.findById(workspace.id, message!.id)).toMatchObject({ status: "delivered" });
      // Applied again (Meta repeats deliveries): found, so nothing is scheduled and nothing moves.
      const repeated = await store.transaction((repositories) => applyInbound(repositories, new Date(), inbox, [ack]));
      expect(repeated.outcome).toMatchObject({ statusChanges: 0, ignored: 1 });
      expect(scheduled).toHaveLength(1);
    } finally {
      await writer.end();
    }
  });
});
