import type { Locale } from "@parley/protocol/values";
import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { ApiTokenInfo, Repositories, Store } from "../ports.ts";
import type { PasswordHasher, SecretTokens } from "../security.ts";
import { can, type Permission, type Role } from "./roles.ts";
import { slugify } from "./slug.ts";
import type { Membership, Principal, User, Workspace } from "./tenancy.ts";

/** Minimum password length, in characters (NIST SP 800-63B asks for at least 8). */
export const minPasswordLength = 8;
/** Bearer token lifetime, in ms (90 days); login issues a new one. */
export const tokenLifetimeMs = 90 * 24 * 3600 * 1000;

export interface TenancyDependencies {
  store: Store;
  passwords: PasswordHasher;
  tokens: SecretTokens;
  clock: Clock;
}

/** A new account with its first workspace. */
export interface SignupInput {
  name: string;
  email: string;
  password: string;
  workspaceName: string;
  /** The language the user signed up in; English when absent. */
  locale?: Locale;
}

/** A new account in an existing workspace, with its role there. */
export interface CreateMemberInput {
  workspaceId: string;
  name: string;
  email: string;
  password: string;
  role: Role;
}

async function issueToken(
  deps: TenancyDependencies,
  userId: string,
  name: string,
  repositories: Repositories = deps.store,
): Promise<{ token: string; id: string }> {
  const { token, hash } = deps.tokens.issue("pat_");
  const id = newId();
  await repositories.tokens.create({ id, userId, name, tokenHash: hash, expiresAt: new Date(deps.clock.now().getTime() + tokenLifetimeMs) });
  return { token, id };
}

async function uniqueSlug(name: string, repositories: Repositories): Promise<string> {
  const base = slugify(name);
  const candidates = [base, ...Array.from({ length: 8 }, (_, index) => `${base}-${index + 2}`)];
  const taken = await repositories.workspaces.takenSlugs(candidates);
  return candidates.find((candidate) => !taken.has(candidate)) ?? `${base}-${newId().slice(-12)}`;
}

/** The password's hash; throws `users.password_too_short` (400, field "password") first. */
export async function checkedPasswordHash(passwords: PasswordHasher, password: string): Promise<string> {
  if (password.length < minPasswordLength) {
    throw new DomainError("users.password_too_short", `The password needs at least ${minPasswordLength} characters.`, { field: "password" });
  }
  return passwords.hash(password);
}

/**
 * Creates a user, their first workspace (they own it) and a bearer token, atomically.
 * Throws `users.email_taken` (409) or `users.password_too_short` (400, field "password").
 */
export async function signup(deps: TenancyDependencies, input: SignupInput): Promise<{ token: string; user: User; workspace: Workspace }> {
  const passwordHash = await checkedPasswordHash(deps.passwords, input.password);
  return deps.store.transaction(async (repositories) => {
    const user = await repositories.users.create({
      id: newId(),
      name: input.name.trim(),
      email: normaliseEmail(input.email),
      passwordHash,
      ...(input.locale ? { locale: input.locale } : {}),
    });
    const workspace = await repositories.workspaces.create({
      id: newId(),
      name: input.workspaceName.trim(),
      slug: await uniqueSlug(input.workspaceName, repositories),
    });
    await repositories.members.add({ workspaceId: workspace.id, userId: user.id, role: "owner" });
    const { token } = await issueToken(deps, user.id, "signup", repositories);
    return { token, user, workspace };
  });
}

/**
 * Creates a user as a member of an existing workspace (operator tooling: `parley create-user`).
 * Throws `workspaces.not_found`, `users.email_taken`, `users.password_too_short`.
 */
export async function createMember(deps: TenancyDependencies, input: CreateMemberInput): Promise<{ token: string; user: User; workspace: Workspace }> {
  const passwordHash = await checkedPasswordHash(deps.passwords, input.password);
  return deps.store.transaction(async (repositories) => {
    const workspace = await repositories.workspaces.findById(input.workspaceId);
    if (!workspace) throw notFound("workspaces");
    const user = await repositories.users.create({ id: newId(), name: input.name.trim(), email: normaliseEmail(input.email), passwordHash });
    await repositories.members.add({ workspaceId: workspace.id, userId: user.id, role: input.role });
    const { token } = await issueToken(deps, user.id, "created", repositories);
    return { token, user, workspace };
  });
}

/** Checks credentials and issues a token. Throws `auth.invalid_credentials` (401) either way a login fails. */
export async function login(
  deps: TenancyDependencies,
  input: { email: string; password: string },
): Promise<{ token: string; user: User; memberships: Membership[] }> {
  const found = await deps.store.users.findByEmailWithHash(normaliseEmail(input.email));
  // Hash even for unknown e-mails so response time does not reveal which accounts exist.
  const ok = found ? await deps.passwords.verify(found.passwordHash, input.password) : await deps.passwords.verify(dummyHash, input.password).then(() => false);
  if (!found || !ok) throw new DomainError("auth.invalid_credentials", "The e-mail or password is wrong.");
  const { token } = await issueToken(deps, found.user.id, "login");
  return { token, user: found.user, memberships: await deps.store.members.listForUser(found.user.id) };
}

/** The principal behind a bearer token. Throws `auth.invalid_token` (401). */
export async function authenticateToken(deps: TenancyDependencies, token: string): Promise<Principal> {
  const found = await deps.store.tokens.findUserByHash(deps.tokens.hash(token), deps.clock.now());
  if (!found) throw new DomainError("auth.invalid_token", "The token is missing, expired or revoked.");
  return { user: found.user, tokenId: found.tokenId };
}

/**
 * The caller behind a bearer token and their membership of `workspaceId`, in one lookup.
 * Throws `auth.invalid_token` (401), or `workspaces.not_found` (404) when they are not a member.
 */
export async function authenticateMember(
  deps: TenancyDependencies,
  token: string,
  workspaceId: string,
): Promise<{ principal: Principal; membership: Membership }> {
  const found = await deps.store.tokens.findMembershipByHash(deps.tokens.hash(token), workspaceId, deps.clock.now());
  if (!found) throw new DomainError("auth.invalid_token", "The token is missing, expired or revoked.");
  if (!found.membership) throw notFound("workspaces");
  return { principal: { user: found.user, tokenId: found.tokenId }, membership: found.membership };
}

/** Revokes the token the principal is using (logout). */
export async function logout(deps: TenancyDependencies, principal: Principal): Promise<void> {
  await deps.store.tokens.revoke(principal.user.id, principal.tokenId, deps.clock.now());
}

/** A new named token for an integration; the secret is returned once. */
export async function createToken(deps: TenancyDependencies, principal: Principal, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
  return deps.store.transaction(async (repositories) => {
    const { token, id } = await issueToken(deps, principal.user.id, name.trim(), repositories);
    const info = (await repositories.tokens.listLive(principal.user.id, deps.clock.now())).find((candidate) => candidate.id === id)!;
    return { token, info };
  });
}

/** The principal's live tokens (the one in use included), newest first. */
export async function listTokens(deps: TenancyDependencies, principal: Principal): Promise<ApiTokenInfo[]> {
  return deps.store.tokens.listLive(principal.user.id, deps.clock.now());
}

/** Revokes one of the principal's tokens. Throws `tokens.not_found` (404) for any other id. */
export async function revokeToken(deps: TenancyDependencies, principal: Principal, tokenId: string): Promise<void> {
  if (!(await deps.store.tokens.revoke(principal.user.id, tokenId, deps.clock.now()))) throw notFound("tokens");
}

/** The workspaces the principal belongs to, oldest membership first. */
export async function listMemberships(deps: TenancyDependencies, principal: Principal): Promise<Membership[]> {
  return deps.store.members.listForUser(principal.user.id);
}

/** Changes the caller's own language (their UI and the API's error messages to them). */
export async function updateProfile(deps: TenancyDependencies, principal: Principal, changes: { locale: Locale }): Promise<User> {
  return deps.store.users.setLocale(principal.user.id, changes.locale);
}

/** The members of the caller's workspace, oldest first. */
export async function listMembers(deps: TenancyDependencies, membership: Membership): Promise<Membership[]> {
  return deps.store.members.listForWorkspace(membership.workspace.id);
}

/** The tenancy use cases bound to their dependencies, for routes that take them as one object. */
export function tenancyUseCases(deps: TenancyDependencies) {
  return {
    signup: (input: SignupInput) => signup(deps, input),
    createMember: (input: CreateMemberInput) => createMember(deps, input),
    login: (input: { email: string; password: string }) => login(deps, input),
    authenticate: (token: string) => authenticateToken(deps, token),
    authenticateMember: (token: string, workspaceId: string) => authenticateMember(deps, token, workspaceId),
    logout: (principal: Principal) => logout(deps, principal),
    createToken: (principal: Principal, name: string) => createToken(deps, principal, name),
    tokens: (principal: Principal) => listTokens(deps, principal),
    revokeToken: (principal: Principal, tokenId: string) => revokeToken(deps, principal, tokenId),
    memberships: (principal: Principal) => listMemberships(deps, principal),
    updateProfile: (principal: Principal, changes: { locale: Locale }) => updateProfile(deps, principal, changes),
    members: (membership: Membership) => listMembers(deps, membership),
  };
}

export type TenancyUseCases = ReturnType<typeof tenancyUseCases>;

/** Throws `auth.forbidden` (403) unless the member's role holds the permission. */
export function requirePermission(membership: Membership, permission: Permission): void {
  if (!can(membership.role, permission)) {
    throw new DomainError("auth.forbidden", `A member with the ${membership.role} role cannot do this.`);
  }
}

/** E-mails compare case-insensitively; stored lower-cased and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type { Role };

// An argon2id hash of a random string: verifying against it costs what a real check costs.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=4$0YJPRldw3Tf9jDDMvRVaCw$3nQaDPhHmsDVYGe2rprJ5bYW3lSSHDRvDYq7BoLR6GM";
