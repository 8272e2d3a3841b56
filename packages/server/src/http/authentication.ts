import type { NotFoundResource } from "@parley/protocol/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { DomainError, notFound } from "../domain/errors.ts";
import { isUuid } from "../domain/ids.ts";
import type { TenancyUseCases } from "../domain/tenancy/tenancy.usecases.ts";
import type { Membership, Principal } from "../domain/tenancy/tenancy.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by `requireAuthentication` or `requireWorkspaceMember`. */
    principal?: Principal;
    /** Set by `requireWorkspaceMember`. */
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
 * Adds a hook that authenticates the caller and resolves `:workspace_id` to their membership in
 * one lookup: 401 without a valid token; 404 for a workspace they are not a member of, or a
 * malformed id, so other tenants' ids reveal nothing.
 */
export function requireWorkspaceMember(app: FastifyInstance, tenancy: TenancyUseCases): void {
  app.addHook("preHandler", async (request) => {
    const token = bearerToken(request);
    if (!token) throw new DomainError("auth.invalid_token", "Send an Authorization: Bearer <token> header.");
    const workspaceId = (request.params as { workspace_id?: string }).workspace_id ?? "";
    if (!isUuid(workspaceId)) {
      // Still 401 for a bad token first: a malformed workspace id must not mask it.
      request.principal = await tenancy.authenticate(token);
      throw notFound("workspaces");
    }
    const { principal, membership } = await tenancy.authenticateMember(token, workspaceId);
    request.principal = principal;
    request.membership = membership;
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
export function requireUuid(id: string, resource: NotFoundResource): string {
  if (!isUuid(id)) throw notFound(resource);
  return id;
}
