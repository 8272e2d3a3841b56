import type { FastifyInstance, FastifyRequest } from "fastify";
import { DomainError, notFound } from "../domain/errors.ts";
import { isUuid } from "../domain/ids.ts";
import type { TenancyUseCases } from "../domain/tenancy/tenancy.usecases.ts";
import type { Membership, Principal } from "../domain/tenancy/tenancy.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by `requireAuthentication`. */
    principal?: Principal;
    /** Set by `requireWorkspaceMembership`. */
    membership?: Membership;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Adds a hook that authenticates every request of the plugin it is called in (401 otherwise). */
export function requireAuthentication(app: FastifyInstance, tenancy: TenancyUseCases): void {
  app.addHook("onRequest", async (request) => {
    const token = bearerToken(request);
    if (!token) throw new DomainError("auth.invalid_token", "Send an Authorization: Bearer <token> header.");
    request.principal = await tenancy.authenticate(token);
  });
}

/**
 * Adds a hook resolving `:workspace_id` to the caller's membership. A workspace the caller is
 * not a member of, or a malformed id, answers 404 so other tenants' ids reveal nothing.
 */
export function requireWorkspaceMembership(app: FastifyInstance, tenancy: TenancyUseCases): void {
  app.addHook("preHandler", async (request) => {
    const workspaceId = (request.params as { workspace_id?: string }).workspace_id ?? "";
    if (!isUuid(workspaceId)) throw notFound("workspaces");
    request.membership = await tenancy.membership(principalOf(request), workspaceId);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError("auth.invalid_token", "Not authenticated.");
  return request.principal;
}

export function membershipOf(request: FastifyRequest): Membership {
  if (!request.membership) throw notFound("workspaces");
  return request.membership;
}

/** Throws `${resource}.not_found` unless `id` is a UUID (a malformed id names nothing). */
export function requireUuid(id: string, resource: string): string {
  if (!isUuid(id)) throw notFound(resource);
  return id;
}
