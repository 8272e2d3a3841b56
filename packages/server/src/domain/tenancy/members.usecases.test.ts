/**
 * Membership changes on a real store (PGlite, and PostgreSQL when DATABASE_URL is set): each in
 * one transaction, and one workspace's changes one after another, so the last owner stays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../test/databases.ts";
import { createStore } from "../../store/store.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Repositories, Store } from "../ports.ts";
import type { PasswordHasher } from "../security.ts";
import { addMember, changeMemberRole, removeMember, type MemberDependencies } from "./members.usecases.ts";

/** Fast stand-in for argon2: these tests are about transactions, not hashing. */
const passwords: PasswordHasher = { hash: async (password) => `plain:${password}`, verify: async (hash, password) => hash === `plain:${password}` };

/** A workspace with two owners. */
async function twoOwners(store: Store) {
  const workspace = await store.workspaces.create({ id: newId(), name: "Shop", slug: `shop-${newId().slice(-12)}` });
  const owner = async (name: string) => {
    const user = await store.users.create({ id: newId(), name, email: `${name.toLowerCase()}-${newId()}@example.com`, passwordHash: "x" });
    await store.members.add({ workspaceId: workspace.id, userId: user.id, role: "owner" });
    return (await store.members.find(workspace.id, user.id))!;
  };
  return { workspace, first: await owner("Olga"), second: await owner("Omar") };
}

const codeOf = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === "rejected" && outcome.reason instanceof DomainError ? outcome.reason.code : outcome.status;

describe.each(testEngines())("member use cases on %s", (engine) => {
  let database: TestDatabase;
  let deps: MemberDependencies;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    deps = { store: createStore(database.handle.db), passwords };
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const { workspace, first, second } = await twoOwners(deps.store);
    const outcomes = await Promise.allSettled([changeMemberRole(deps, first, second.user.id, "agent"), changeMemberRole(deps, second, first.user.id, "agent")]);
    expect(outcomes.map(codeOf).sort()).toEqual(["fulfilled", "members.last_owner"]);
    expect(await deps.store.members.countWithRole(workspace.id, "owner")).toBe(1);
  });

  it("keeps one owner when two owners remove each other at the same time", async () => {
    const { workspace, first, second } = await twoOwners(deps.store);
    const outcomes = await Promise.allSettled([removeMember(deps, first, second.user.id), removeMember(deps, second, first.user.id)]);
    expect(outcomes.map(codeOf).sort()).toEqual(["fulfilled", "members.last_owner"]);
    expect(await deps.store.members.countWithRole(workspace.id, "owner")).toBe(1);
  });

  it("creates a new account and its membership together, or neither", async () => {
    const { workspace, first } = await twoOwners(deps.store);
    const email = `new-${newId()}@example.com`;
    const failingMembership: Store = {
      ...deps.store,
      transaction: (work) =>
        deps.store.transaction((repositories) => {
          const broken: Repositories = {
            ...repositories,
            members: {
              ...repositories.members,
              add: async () => {
                throw new Error("connection lost");
              },
            },
          };
          return work(broken);
        }),
    };
    await expect(addMember({ store: failingMembership, passwords }, first, { email, role: "agent", name: "Nia", password: "long enough" })).rejects.toThrow(
      "connection lost",
    );
    expect(await deps.store.users.findByEmailWithHash(email)).toBeNull();

    const added = await addMember(deps, first, { email, role: "agent", name: "Nia", password: "long enough" });
    expect(added).toMatchObject({ role: "agent", user: { email, name: "Nia" }, workspace: { id: workspace.id } });
    expect(await deps.store.members.find(workspace.id, added.user.id)).toEqual(added);
  });
});
