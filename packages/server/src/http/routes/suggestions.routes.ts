import { suggestionsRequestSchema, suggestionsSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { SuggestionUseCases } from "../../domain/suggestions/suggestions.usecases.ts";
import { membershipOf, requireUuid } from "../authentication.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

/** Reply suggestions for a conversation. */
export const suggestionRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; suggestions: SuggestionUseCases }> = async (
  app,
  { params, suggestions },
) => {
  app.post(
    "/ai/suggestions",
    {
      schema: {
        tags: ["ai"],
        summary: "Suggested replies to the customer's latest messages (canned responses, articles, past replies; or the workspace's LLM)",
        params,
        body: suggestionsRequestSchema,
        response: { 200: suggestionsSchema },
      },
    },
    async (request) => {
      const { proactiveActions, ...answer } = await suggestions.suggest(membershipOf(request), requireUuid(request.body.conversation_id, "conversations"));
      return { ...answer, proactive_actions: proactiveActions };
    },
  );
};
