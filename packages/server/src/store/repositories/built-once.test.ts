import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, testEngines } from "../../../test/databases.ts";
import { newId } from "../../domain/ids.ts";
import { users, workspaces } from "../schema/index.ts";
import { builtOnce } from "./built-once.ts";

const workspaceById = builtOnce("built_once_test_workspace", (db) =>
  db
    .select({ id: workspaces.id, name: workspaces.name, createdAt: workspaces.createdAt })
    .from(workspaces)
    .where(and(eq(workspaces.id, sql.placeholder("id")), eq(workspaces.status, sql.placeholder("status")))),
);

/** A join whose right side may be missing: Drizzle maps an absent joined row to null, not to an object of nulls. */
const workspaceWithUser = builtOnce("built_once_test_join", (db) =>
  db
    .select({ workspace: { id: workspaces.id }, user: { id: users.id, email: users.email } })
    .from(workspaces)
    .leftJoin(users, eq(users.id, sql.placeholder("userId")))
    .where(eq(workspaces.id, sql.placeholder("id"))),
);

describe.each(testEngines())("builtOnce on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const addWorkspace = async (name: string) => {
    const id = newId();
    await database.handle.db.insert(workspaces).values({ id, name, slug: `slug-${id}` });
    return id;
  };

  it("answers each call with its own values, mapped as the builder's own query would be", async () => {
    const { db } = database.handle;
    const ids = await Promise.all(Array.from({ length: 12 }, (_, index) => addWorkspace(`Workspace ${index}`)));
    const rows = await Promise.all(ids.map((id) => workspaceById(db, { id, status: "active" })));
    expect(rows.map(([row]) => row?.name)).toEqual(ids.map((_, index) => `Workspace ${index}`));
    expect(rows[0]![0]!.createdAt).toBeInstanceOf(Date);
    expect(await workspaceById(db, { id: ids[0], status: "suspended" })).toEqual([]);
    expect(await workspaceById(db, { id: newId(), status: "active" })).toEqual([]);
  });

  it("runs on a transaction's connection: it sees the transaction's own rows, which a rollback takes away", async () => {
    const { db } = database.handle;
    const id = newId();
    await expect(
      db.transaction(async (transaction) => {
        await transaction.insert(workspaces).values({ id, name: "Uncommitted", slug: `slug-${id}` });
        expect((await workspaceById(transaction, { id, status: "active" }))[0]?.name).toBe("Uncommitted");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await workspaceById(db, { id, status: "active" })).toEqual([]);
  });

  it("maps a left join's missing row to null", async () => {
    const id = await addWorkspace("Alone");
    expect(await workspaceWithUser(database.handle.db, { id, userId: newId() })).toEqual([{ workspace: { id }, user: null }]);
  });
});
