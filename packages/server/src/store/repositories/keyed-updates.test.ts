/**
 * A message stored moves its conversation's last message by the conversation's key, whatever the
 * table's size: the statement joins a JSON recordset, which the planner takes for 100 rows, and
 * on a table of a few thousand conversations it then hashed the whole table. Every
 * message an agent sent read all of the workspace's conversations that way (1.6 ms a reply at
 * 9,000 conversations, measured in the campaign benchmark). Counted with the connection's own
 * table statistics (`pg_stat_xact_user_tables`), on both engines.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, testEngines } from "../../../test/databases.ts";
import { newId } from "../../domain/ids.ts";
import type { Message } from "../../domain/messages/message.ts";
import type { Database } from "../database.ts";
import { createStore } from "../store.ts";
import { conversationRepository } from "./conversations.repository.ts";
import { rowsOf } from "./raw-rows.ts";

/** Enough rows that reading them all costs more than a few index lookups, so a planner that can use the key does. */
const ROWS = 2000;

describe.each(testEngines())("keyed updates on %s", (engine) => {
  let database: TestDatabase;
  let workspaceId: string;
  let conversationIds: string[];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database.handle;
    const store = createStore(db);
    const workspace = await store.workspaces.create({ id: newId(), name: "Keyed", slug: `keyed-${newId().slice(-8)}` });
    workspaceId = workspace.id;
    const inbox = await store.inboxes.create({
      id: newId(),
      workspaceId,
      provider: "web_widget",
      name: "Site",
      status: "ready",
      widgetKey: `wk_${newId().replace(/-/g, "")}`,
      widget: { color: "#000000", position: "left", greeting: null, locale: "auto" },
    });
    await db.execute(sql`
      insert into contacts (id, workspace_id, visitor_id, name)
      select gen_random_uuid(), ${workspaceId}, 'visitor-' || n, 'Visitor ' || n from generate_series(1, ${ROWS}) as n`);
    conversationIds = rowsOf<{ id: string }>(
      await db.execute(sql`
        insert into conversations (id, workspace_id, inbox_id, contact_id)
        select gen_random_uuid(), workspace_id, ${inbox.id}, id from contacts where workspace_id = ${workspaceId}
        returning id`),
    ).map((row) => row.id);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** Runs `work` in a transaction and returns how many sequential scans it made of `table`. */
  const sequentialScans = async (table: string, work: (tx: Database) => Promise<void>) =>
    database.handle.db.transaction(async (tx) => {
      // The view also counts this connection's scans not yet flushed to the shared statistics: a difference.
      const scans = async () =>
        Number(
          rowsOf<{ seq_scan: string | number }>(await tx.execute(sql`select seq_scan from pg_stat_xact_user_tables where relname = ${table}`))[0]?.seq_scan ??
            0,
        );
      const before = await scans();
      await work(tx);
      return (await scans()) - before;
    });

  it("moves a conversation's last message without reading the workspace's other conversations", async () => {
    const conversationId = conversationIds[ROWS / 2]!;
    const createdAt = new Date();
    const message = { id: newId(createdAt), createdAt } as Message;
    const scans = await sequentialScans("conversations", (tx) =>
      conversationRepository(tx).recordMessages([{ conversationId, message, unreadIncrement: 1, inboundAt: createdAt }]),
    );
    expect(scans).toBe(0);
    const [row] = rowsOf<{ last_message_id: string; unread_count: number }>(
      await database.handle.db.execute(sql`select last_message_id, unread_count from conversations where id = ${conversationId}`),
    );
    expect(row).toEqual({ last_message_id: message.id, unread_count: 1 });
  });

  it("moves several conversations' last messages in one statement, reading only those", async () => {
    const chosen = conversationIds.slice(10, 13);
    const createdAt = new Date();
    const records = chosen.map((conversationId) => ({ conversationId, message: { id: newId(createdAt), createdAt } as Message, unreadIncrement: 0 }));
    expect(await sequentialScans("conversations", (tx) => conversationRepository(tx).recordMessages(records))).toBe(0);
    const rows = rowsOf<{ id: string; last_message_id: string }>(
      await database.handle.db.execute(sql`select id, last_message_id from conversations where id = any(${sql.param(chosen)}::uuid[]) order by id`),
    );
    expect(rows).toEqual(records.map((record) => ({ id: record.conversationId, last_message_id: record.message.id })).sort((a, b) => (a.id < b.id ? -1 : 1)));
  });
});
