import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Repositories, Store } from "../ports.ts";
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

async function requireAnotherOwnerRemains(repositories: Repositories, workspaceId: string, target: Membership): Promise<void> {
  if (target.role === "owner" && (await repositories.members.countWithRole(workspaceId, "owner")) <= 1) {
    throw new DomainError("members.last_owner", "A workspace needs at least one owner.");
  }
}

/**
 * The target membership, read after locking the workspace: membership changes of one workspace
 * run one after another, so two owners demoting each other at once cannot leave it without one.
 */
async function lockedTarget(repositories: Repositories, workspaceId: string, userId: string): Promise<Membership> {
  if (!(await repositories.workspaces.lockForUpdate(workspaceId))) throw notFound("workspaces");
  const target = await repositories.members.find(workspaceId, userId);
  if (!target) throw notFound("members");
  return target;
}

/**
 * Adds a member by e-mail. An existing account is added as is; for a new e-mail, `name` and
 * `password` create the account (there is no e-mail delivery to send an invitation). The
 * account and the membership are written in one transaction, and the membership returned is
 * the one it committed. Throws `auth.forbidden`, `members.already_member` (409),
 * `users.not_found` (404) when the account does not exist and no name/password were given,
 * `users.password_too_short`, `users.email_taken` (409) when the account appeared meanwhile.
 */
export async function addMember(deps: MemberDependencies, actor: Membership, input: AddMemberInput): Promise<Membership> {
  requirePermission(actor, "members.manage");
  requireOwnerFor(actor, input.role);
  const workspaceId = actor.workspace.id;
  const email = normaliseEmail(input.email);
  const existing = await deps.store.users.findByEmailWithHash(email);
  let newUser: { name: string; passwordHash: string } | null = null;
  if (!existing) {
    if (!input.name || !input.password) {
      throw new DomainError("users.not_found", "No account has this e-mail; give a name and an initial password to create one.", { field: "email" });
    }
    // Hashed before the transaction opens: argon2 takes a while, and locks should not wait on it.
    newUser = { name: input.name.trim(), passwordHash: await checkedPasswordHash(deps.passwords, input.password) };
  }
  return deps.store.transaction(async (repositories) => {
    let userId = existing?.user.id;
    if (!userId) {
      userId = newId();
      await repositories.users.create({ id: userId, name: newUser!.name, email, passwordHash: newUser!.passwordHash });
    }
    await repositories.members.add({ workspaceId, userId, role: input.role });
    return (await repositories.members.find(workspaceId, userId))!;
  });
}

/**
 * Changes a member's role, in one transaction with the workspace locked (see lockedTarget).
 * Throws `auth.forbidden`, `members.not_found`, `members.last_owner` (409).
 */
export async function changeMemberRole(deps: MemberDependencies, actor: Membership, userId: string, role: Role): Promise<Membership> {
  requirePermission(actor, "members.manage");
  const workspaceId = actor.workspace.id;
  return deps.store.transaction(async (repositories) => {
    const target = await lockedTarget(repositories, workspaceId, userId);
    requireOwnerFor(actor, role, target.role);
    if (role !== "owner") await requireAnotherOwnerRemains(repositories, workspaceId, target);
    await repositories.members.changeRole(workspaceId, userId, role);
    return (await repositories.members.find(workspaceId, userId))!;
  });
}

/**
 * Removes a member, in one transaction with the workspace locked (see lockedTarget).
 * Throws `auth.forbidden`, `members.not_found`, `members.last_owner` (409).
 */
export async function removeMember(deps: MemberDependencies, actor: Membership, userId: string): Promise<void> {
  requirePermission(actor, "members.manage");
  const workspaceId = actor.workspace.id;
  await deps.store.transaction(async (repositories) => {
    const target = await lockedTarget(repositories, workspaceId, userId);
    requireOwnerFor(actor, target.role);
    await requireAnotherOwnerRemains(repositories, workspaceId, target);
    await repositories.members.remove(workspaceId, userId);
  });
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
