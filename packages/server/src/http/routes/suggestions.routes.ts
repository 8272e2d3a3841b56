import {
  aiClassifierSchema,
  aiConnectionTestSchema,
  aiSettingsRequestSchema,
  aiSettingsSchema,
  aiSummarySchema,
  suggestionsRequestSchema,
  suggestionsSchema,
} from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AiSettingsUseCases, AiSettingsView } from "../../domain/suggestions/ai-settings.usecases.ts";
import { minimumTrainingExamples } from "../../domain/intelligence/intent-classifier.ts";
import type { SuggestionUseCases } from "../../domain/suggestions/suggestions.usecases.ts";
import { membershipOf, requireUuid } from "../authentication.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

const presentSettings = (settings: AiSettingsView) => ({
  engine: settings.engine,
  base_url: settings.baseUrl,
  model: settings.model,
  api_key_set: settings.apiKeySet,
});

/** Reply suggestions for a conversation, and the workspace's AI settings. */
export const suggestionRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; suggestions: SuggestionUseCases; ai: AiSettingsUseCases }> = async (
  app,
  { params, suggestions, ai },
) => {
  app.get(
    "/ai/settings",
    {
      schema: {
        tags: ["ai"],
        summary: "The workspace's suggestion engine (the API key only as whether one is set)",
        params,
        response: { 200: aiSettingsSchema },
      },
    },
    async (request) => presentSettings(await ai.get(membershipOf(request))),
  );
  app.get(
    "/ai/classifier",
    {
      schema: {
        tags: ["ai"],
        summary: "The workspace's intent classifier, trained on its agents' intent corrections (`trained: false` until there are 10 of at least two intents)",
        params,
        response: { 200: aiClassifierSchema },
      },
    },
    async (request) => {
      const classifier = await ai.classifier(membershipOf(request));
      return {
        trained: classifier !== null,
        examples: classifier?.examples ?? 0,
        intents: classifier?.intents ?? [],
        trained_at: classifier?.trainedAt.toISOString() ?? null,
        minimum_examples: minimumTrainingExamples,
      };
    },
  );
  app.put(
    "/ai/settings",
    {
      schema: {
        tags: ["ai"],
        summary:
          "Choose the engine: offline, or an OpenAI-compatible endpoint (owners and admins; the key is sealed at rest; api_key null forgets it, absent keeps it)",
        params,
        body: aiSettingsRequestSchema,
        response: { 200: aiSettingsSchema },
      },
    },
    async (request) => {
      const { engine, base_url, model, api_key } = request.body;
      const saved = await ai.update(membershipOf(request), {
        engine,
        ...(base_url !== undefined ? { baseUrl: base_url } : {}),
        ...(model !== undefined ? { model } : {}),
        ...(api_key !== undefined ? { apiKey: api_key } : {}),
      });
      return presentSettings(saved);
    },
  );
  app.post(
    "/ai/summary",
    {
      schema: {
        tags: ["ai"],
        summary: "A summary of the conversation by the workspace's LLM (409 ai.not_configured offline, 502 ai.unreachable)",
        params,
        body: suggestionsRequestSchema,
        response: { 200: aiSummarySchema },
      },
    },
    async (request) => ai.summarise(membershipOf(request), requireUuid(request.body.conversation_id, "conversations")),
  );
  app.post(
    "/ai/settings/test",
    {
      schema: {
        tags: ["ai"],
        summary: "Test connection: a one-token completion with the configured model (502 ai.unreachable with the reason)",
        params,
        response: { 200: aiConnectionTestSchema },
      },
    },
    async (request) => ai.testConnection(membershipOf(request)),
  );
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
