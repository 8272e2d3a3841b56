import { signChannelAuth } from "@parley/protocol/signing";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import type { ChannelAccessUseCases, ChannelCaller } from "../../domain/realtime/channel-access.ts";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import { widgetSessionTokenPrefix, type WidgetUseCases } from "../../domain/widget/widget.usecases.ts";
import { bearerToken } from "../authentication.ts";

export interface BroadcastingRouteDependencies {
  tenancy: TenancyUseCases;
  widget: WidgetUseCases;
  channelAccess: ChannelAccessUseCases;
  app: { key: string; secret: string };
}

/**
 * `POST /broadcasting/auth` (registered under the /broadcasting prefix): signs a private or presence subscription for pusher-js / Laravel
 * Echo (Pusher docs, auth-signatures.md). Accepts JSON or form bodies and either an agent's
 * bearer token or a widget session token. Answers `{auth}` plus `channel_data` on presence.
 */
export const broadcastingRoutes: FastifyPluginAsyncZod<BroadcastingRouteDependencies> = async (fastify, { tenancy, widget, channelAccess, app }) => {
  fastify.post(
    "/auth",
    {
      schema: {
        tags: ["realtime"],
        summary: "Authorize a private or presence channel subscription",
        body: z.object({
          socket_id: z.string().regex(/^\d+\.\d+$/, "a Pusher socket id like 123.456"),
          channel_name: z.string().min(1).max(164),
        }),
        response: { 200: z.object({ auth: z.string(), channel_data: z.string().optional() }) },
      },
    },
    async (request) => {
      const token = bearerToken(request);
      if (!token) throw new DomainError("auth.invalid_token", "Send an Authorization: Bearer <token> header.");
      const caller: ChannelCaller = token.startsWith(widgetSessionTokenPrefix)
        ? { kind: "visitor", session: await widget.sessionOfToken(token) }
        : { kind: "user", principal: await tenancy.authenticate(token) };
      const { socket_id: socketId, channel_name: channelName } = request.body;
      const grant = await channelAccess.authorize(caller, channelName);
      if (grant.presence) {
        const channelData = JSON.stringify({ user_id: grant.presence.userId, user_info: grant.presence.userInfo });
        return { auth: signChannelAuth(app, socketId, channelName, channelData), channel_data: channelData };
      }
      return { auth: signChannelAuth(app, socketId, channelName) };
    },
  );
};
