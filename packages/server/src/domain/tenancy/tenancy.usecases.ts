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

/** Sign-up, login, token authentication and membership checks. */
export function tenancyUseCases({ store, passwords, tokens, clock }: TenancyDependencies) {
  async function issueToken(userId: string, name: string, repositories: Repositories = store): Promise<string> {
    return (await issueTokenWithId(userId, name, repositories)).token;
  }

  async function issueTokenWithId(userId: string, name: string, repositories: Repositories = store): Promise<{ token: string; id: string }> {
    const { token, hash } = tokens.issue("pat_");
    const id = newId();
    await repositories.tokens.create({ id, userId, name, tokenHash: hash, expiresAt: new Date(clock.now().getTime() + tokenLifetimeMs) });
    return { token, id };
  }

  async function uniqueSlug(name: string, repositories: Repositories = store): Promise<string> {
    const base = slugify(name);
    const candidates = [base, ...Array.from({ length: 8 }, (_, index) => `${base}-${index + 2}`)];
    const taken = await repositories.workspaces.takenSlugs(candidates);
    return candidates.find((candidate) => !taken.has(candidate)) ?? `${base}-${newId().slice(-12)}`;
  }

  async function checkedHash(password: string): Promise<string> {
    if (password.length < minPasswordLength) {
      throw new DomainError("users.password_too_short", `The password needs at least ${minPasswordLength} characters.`, { field: "password" });
    }
    return passwords.hash(password);
  }

  return {
    /**
     * Creates a user, their first workspace (they own it) and a bearer token, atomically.
     * Throws `users.email_taken` (409) or `users.password_too_short` (400, field "password").
     */
    async signup(input: { name: string; email: string; password: string; workspaceName: string }): Promise<{ token: string; user: User; workspace: Workspace }> {
      const passwordHash = await checkedHash(input.password);
      return store.transaction(async (repositories) => {
        const user = await repositories.users.create({ id: newId(), name: input.name.trim(), email: normaliseEmail(input.email), passwordHash });
        const workspace = await repositories.workspaces.create({ id: newId(), name: input.workspaceName.trim(), slug: await uniqueSlug(input.workspaceName, repositories) });
        await repositories.members.add({ workspaceId: workspace.id, userId: user.id, role: "owner" });
        const token = await issueToken(user.id, "signup", repositories);
        return { token, user, workspace };
      });
    },

    /**
     * Creates a user as a member of an existing workspace (operator tooling: `parley create-user`).
     * Throws `workspaces.not_found`, `users.email_taken`, `users.password_too_short`.
     */
    async createMember(input: { workspaceId: string; name: string; email: string; password: string; role: Role }): Promise<{ token: string; user: User; workspace: Workspace }> {
      const passwordHash = await checkedHash(input.password);
      return store.transaction(async (repositories) => {
        const workspace = await repositories.workspaces.findById(input.workspaceId);
        if (!workspace) throw notFound("workspaces");
        const user = await repositories.users.create({ id: newId(), name: input.name.trim(), email: normaliseEmail(input.email), passwordHash });
        await repositories.members.add({ workspaceId: workspace.id, userId: user.id, role: input.role });
        const token = await issueToken(user.id, "created", repositories);
        return { token, user, workspace };
      });
    },

    /** Checks credentials and issues a token. Throws `auth.invalid_credentials` (401) either way a login fails. */
    async login(input: { email: string; password: string }): Promise<{ token: string; user: User; memberships: Membership[] }> {
      const found = await store.users.findByEmailWithHash(normaliseEmail(input.email));
      // Hash even for unknown e-mails so response time does not reveal which accounts exist.
      const ok = found ? await passwords.verify(found.passwordHash, input.password) : await passwords.verify(dummyHash, input.password).then(() => false);
      if (!found || !ok) throw new DomainError("auth.invalid_credentials", "The e-mail or password is wrong.");
      const token = await issueToken(found.user.id, "login");
      return { token, user: found.user, memberships: await store.members.listForUser(found.user.id) };
    },

    /** The principal behind a bearer token. Throws `auth.invalid_token` (401). */
    async authenticate(token: string): Promise<Principal> {
      const found = await store.tokens.findUserByHash(tokens.hash(token), clock.now());
      if (!found) throw new DomainError("auth.invalid_token", "The token is missing, expired or revoked.");
      return { user: found.user, tokenId: found.tokenId };
    },

    /**
     * The caller behind a bearer token and their membership of `workspaceId`, in one lookup.
     * Throws `auth.invalid_token` (401), or `workspaces.not_found` (404) when they are not a member.
     */
    async authenticateMember(token: string, workspaceId: string): Promise<{ principal: Principal; membership: Membership }> {
      const found = await store.tokens.findMembershipByHash(tokens.hash(token), workspaceId, clock.now());
      if (!found) throw new DomainError("auth.invalid_token", "The token is missing, expired or revoked.");
      if (!found.membership) throw notFound("workspaces");
      return { principal: { user: found.user, tokenId: found.tokenId }, membership: found.membership };
    },

    /** Revokes the token the principal is using (logout). */
    async logout(principal: Principal): Promise<void> {
      await store.tokens.revoke(principal.user.id, principal.tokenId, clock.now());
    },

    /** A new named token for an integration; the secret is returned once. */
    async createToken(principal: Principal, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
      const { token, id } = await issueTokenWithId(principal.user.id, name.trim());
      const info = (await store.tokens.listLive(principal.user.id, clock.now())).find((candidate) => candidate.id === id)!;
      return { token, info };
    },

    /** The principal's live tokens (the one in use included), newest first. */
    async tokens(principal: Principal): Promise<ApiTokenInfo[]> {
      return store.tokens.listLive(principal.user.id, clock.now());
    },

    /** Revokes one of the principal's tokens. Throws `tokens.not_found` (404) for any other id. */
    async revokeToken(principal: Principal, tokenId: string): Promise<void> {
      if (!(await store.tokens.revoke(principal.user.id, tokenId, clock.now()))) throw notFound("tokens");
    },

    async memberships(principal: Principal): Promise<Membership[]> {
      return store.members.listForUser(principal.user.id);
    },

    async members(membership: Membership): Promise<Membership[]> {
      return store.members.listForWorkspace(membership.workspace.id);
    },
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
