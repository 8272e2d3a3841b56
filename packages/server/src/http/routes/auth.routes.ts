import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import { presentUser, presentWorkspace } from "../../presenters.ts";
import type { ApiTokenInfo } from "../../domain/ports.ts";
import { principalOf, requireAuthentication, requireUuid } from "../authentication.ts";
import { locales } from "@parley/protocol/values";
import { updateProfileRequestSchema } from "@parley/protocol/api";
import { membershipSchema, userSchema, workspaceSchema } from "../schemas.ts";

/** Sign-up, login, logout and "who am I" under /api/v1/auth. */
export const authRoutes: FastifyPluginAsyncZod<{ tenancy: TenancyUseCases; rateLimitPerMinute: number }> = async (app, { tenancy, rateLimitPerMinute }) => {
  // Credential endpoints get a tighter limit than the API: they are what attackers guess at.
  const config = { rateLimit: { max: rateLimitPerMinute, timeWindow: 60_000 } };

  app.post(
    "/signup",
    {
      config,
      schema: {
        tags: ["auth"],
        summary: "Create an account and its first workspace",
        body: z.object({
          name: z.string().trim().min(1).max(200),
          email: z.string().trim().email().max(320),
          password: z.string().max(1024),
          workspace_name: z.string().trim().min(1).max(200),
          locale: z.enum(locales).optional(),
        }),
        response: { 201: z.object({ token: z.string(), user: userSchema, workspace: workspaceSchema }) },
      },
    },
    async (request, reply) => {
      const { token, user, workspace } = await tenancy.signup({ ...request.body, workspaceName: request.body.workspace_name });
      return reply.status(201).send({ token, user: presentUser(user), workspace: presentWorkspace(workspace) });
    },
  );

  app.post(
    "/login",
    {
      config,
      schema: {
        tags: ["auth"],
        summary: "Exchange e-mail and password for a bearer token",
        body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().max(1024) }),
        response: { 200: z.object({ token: z.string(), user: userSchema, workspaces: z.array(membershipSchema) }) },
      },
    },
    async (request) => {
      const { token, user, memberships } = await tenancy.login(request.body);
      return { token, user: presentUser(user), workspaces: memberships.map((m) => ({ ...presentWorkspace(m.workspace), role: m.role })) };
    },
  );

  app.register(async (plainScope) => {
    const authenticated = plainScope.withTypeProvider<ZodTypeProvider>();
    requireAuthentication(authenticated, tenancy);

    authenticated.get(
      "/me",
      {
        schema: {
          tags: ["auth"],
          summary: "The current user and their workspaces",
          response: { 200: z.object({ user: userSchema, workspaces: z.array(membershipSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const memberships = await tenancy.memberships(principal);
        return { user: presentUser(principal.user), workspaces: memberships.map((m) => ({ ...presentWorkspace(m.workspace), role: m.role })) };
      },
    );

    authenticated.patch(
      "/me",
      {
        schema: {
          tags: ["auth"],
          summary: "Change your own settings (your language: `en` or `id`)",
          body: updateProfileRequestSchema,
          response: { 200: z.object({ user: userSchema }) },
        },
      },
      async (request) => ({ user: presentUser(await tenancy.updateProfile(principalOf(request), request.body)) }),
    );

    const tokenSchema = z.object({
      id: z.string(),
      name: z.string(),
      created_at: z.string(),
      last_used_at: z.string().nullable(),
      expires_at: z.string().nullable(),
    });
    const presentToken = (info: ApiTokenInfo) => ({
      id: info.id,
      name: info.name,
      created_at: info.createdAt.toISOString(),
      last_used_at: info.lastUsedAt?.toISOString() ?? null,
      expires_at: info.expiresAt?.toISOString() ?? null,
    });

    authenticated.get(
      "/tokens",
      {
        schema: {
          tags: ["auth"],
          summary: "Your live bearer tokens (secrets are never shown again)",
          response: { 200: z.object({ data: z.array(tokenSchema) }) },
        },
      },
      async (request) => ({ data: (await tenancy.tokens(principalOf(request))).map(presentToken) }),
    );

    authenticated.post(
      "/tokens",
      {
        schema: {
          tags: ["auth"],
          summary: "Create a named token for an integration (its secret is shown once)",
          body: z.object({ name: z.string().trim().min(1).max(100) }),
          response: { 201: tokenSchema.extend({ token: z.string() }) },
        },
      },
      async (request, reply) => {
        const { token, info } = await tenancy.createToken(principalOf(request), request.body.name);
        return reply.status(201).send({ ...presentToken(info), token });
      },
    );

    authenticated.delete(
      "/tokens/:token_id",
      { schema: { tags: ["auth"], summary: "Revoke one of your tokens", params: z.object({ token_id: z.string() }) } },
      async (request, reply) => {
        await tenancy.revokeToken(principalOf(request), requireUuid(request.params.token_id, "tokens"));
        return reply.status(204).send();
      },
    );

    authenticated.post("/logout", { schema: { tags: ["auth"], summary: "Revoke the token in use" } }, async (request, reply) => {
      await tenancy.logout(principalOf(request));
      return reply.status(204).send();
    });
  });
};
