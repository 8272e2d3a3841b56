import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { realtimeInfoSchema } from "../schemas.ts";

/** `GET /api/v1/realtime`: what a pusher-js / Echo client needs to connect (public, no token). */
export const realtimeInfoRoutes: FastifyPluginAsyncZod<{ appKey: string; activityTimeoutSeconds: number }> = async (
  app,
  { appKey, activityTimeoutSeconds },
) => {
  app.get(
    "/api/v1/realtime",
    {
      schema: {
        tags: ["realtime"],
        summary: "Connection settings for Pusher-protocol clients",
        response: { 200: realtimeInfoSchema },
      },
    },
    async () => ({ app_key: appKey, auth_endpoint: "/broadcasting/auth", ws_path: `/app/${appKey}`, protocol: 7, activity_timeout: activityTimeoutSeconds }),
  );
};
