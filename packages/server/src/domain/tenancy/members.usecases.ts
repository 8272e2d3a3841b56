import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Store } from "../ports.ts";
import type { PasswordHasher } from "../security.ts";
import type { Role } from "./roles.ts";
import { checkedPasswordHash, normaliseEmail, requirePermission } from "./tenancy.usecases.ts";
import type { Membership } from "./tenancy.ts";

export interface MemberDependencies {
  store: Store;
  passwords: PasswordHasher;
}

/** Someone to add to a workspace: an existing account by e-mail, or a new one with a name and password. */
export interface AddMemberInput {
  email: string;
  role: Role;
  name?: string | undefined;
  password?: string | undefined;
}

/** Only an owner may hand out or take away the owner role. */
function requireOwnerFor(actor: Membership, ...rolesInvolved: Role[]): void {
  if (rolesInvolved.includes("owner") && actor.role !== "owner") {
    throw new DomainError("auth.forbidden", "Only an owner can grant or change the owner role.");
  }
}

async function requireAnotherOwnerRemains(store: Store, workspaceId: string, target: Membership): Promise<void> {
  if (target.role === "owner" && (await store.members.countWithRole(workspaceId, "owner")) <= 1) {
    throw new DomainError("members.last_owner", "A workspace needs at least one owner.");
  }
}

async function targetOrThrow(store: Store, workspaceId: string, userId: string): Promise<Membership> {
  const target = await store.members.find(workspaceId, userId);
  if (!target) throw notFound("members");
  return target;
}

/**
 * Adds a member by e-mail. An existing account is added as is; for a new e-mail, `name` and
 * `password` create the account (there is no e-mail delivery to send an invitation).
 * Throws `auth.forbidden`, `members.already_member` (409), `users.not_found` (404) when the
 * account does not exist and no name/password were given, `users.password_too_short`.
 */
export async function addMember(deps: MemberDependencies, actor: Membership, input: AddMemberInput): Promise<Membership> {
  const { store } = deps;
  requirePermission(actor, "members.manage");
  requireOwnerFor(actor, input.role);
  const workspaceId = actor.workspace.id;
  const email = normaliseEmail(input.email);
  const existing = await store.users.findByEmailWithHash(email);
  let userId = existing?.user.id;
  if (!userId) {
    if (!input.name || !input.password) {
      throw new DomainError("users.not_found", "No account has this e-mail; give a name and an initial password to create one.", { field: "email" });
    }
    const passwordHash = await checkedPasswordHash(deps.passwords, input.password);
    const newUserId = newId();
    await store.transaction(async (repositories) => {
      await repositories.users.create({ id: newUserId, name: input.name!.trim(), email, passwordHash });
      await repositories.members.add({ workspaceId, userId: newUserId, role: input.role });
    });
    userId = newUserId;
  } else {
    await store.members.add({ workspaceId, userId, role: input.role });
  }
  return (await store.members.find(workspaceId, userId))!;
}

/** Throws `auth.forbidden`, `members.not_found`, `members.last_owner` (409). */
export async function changeMemberRole(deps: MemberDependencies, actor: Membership, userId: string, role: Role): Promise<Membership> {
  const { store } = deps;
  requirePermission(actor, "members.manage");
  const target = await targetOrThrow(store, actor.workspace.id, userId);
  requireOwnerFor(actor, role, target.role);
  if (role !== "owner") await requireAnotherOwnerRemains(store, actor.workspace.id, target);
  await store.members.changeRole(actor.workspace.id, userId, role);
  return (await store.members.find(actor.workspace.id, userId))!;
}

/** Throws `auth.forbidden`, `members.not_found`, `members.last_owner` (409). */
export async function removeMember(deps: MemberDependencies, actor: Membership, userId: string): Promise<void> {
  const { store } = deps;
  requirePermission(actor, "members.manage");
  const target = await targetOrThrow(store, actor.workspace.id, userId);
  requireOwnerFor(actor, target.role);
  await requireAnotherOwnerRemains(store, actor.workspace.id, target);
  await store.members.remove(actor.workspace.id, userId);
}

/** Managing who belongs to a workspace (owners and admins), bound to its dependencies for the routes. */
export function memberUseCases(deps: MemberDependencies) {
  return {
    add: (actor: Membership, input: AddMemberInput) => addMember(deps, actor, input),
    changeRole: (actor: Membership, userId: string, role: Role) => changeMemberRole(deps, actor, userId, role),
    remove: (actor: Membership, userId: string) => removeMember(deps, actor, userId),
  };
}

export type MemberUseCases = ReturnType<typeof memberUseCases>;
