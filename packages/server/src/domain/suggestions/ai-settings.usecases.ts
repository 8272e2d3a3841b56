import { DomainError, notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import type { SecretSealer } from "../security.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { AiSettings, LlmPort } from "./ai-settings.ts";
import { fallbackEngine } from "./fallback-engine.ts";
import type { SuggestionEngine } from "./suggestions.ts";

export interface AiSettingsDependencies {
  store: Store;
  sealer: SecretSealer;
  llm: LlmPort;
  offline: SuggestionEngine;
  /** The LLM's limit before the offline answer is given, in ms (8,000 in production). */
  timeoutMs: number;
  warn(error: unknown, context: string): void;
}

/** The settings as shown: the key only as whether one is set. */
export interface AiSettingsView {
  engine: "offline" | "llm";
  baseUrl: string | null;
  model: string | null;
  apiKeySet: boolean;
}

const defaults: AiSettings = { engine: "offline", baseUrl: null, model: null, sealedApiKey: null };

/**
 * A workspace's AI settings (read by every member, changed by owners and admins: `auth.forbidden`)
 * and the engine they select. Choosing `llm` without a base URL and a model throws
 * `ai.not_configured`; the test reports `ai.unreachable` with the endpoint's reason.
 */
export function aiSettingsUseCases(deps: AiSettingsDependencies) {
  const load = async (workspaceId: string) => (await deps.store.aiSettings.find(workspaceId)) ?? defaults;
  const view = (settings: AiSettings): AiSettingsView => ({
    engine: settings.engine,
    baseUrl: settings.baseUrl,
    model: settings.model,
    apiKeySet: settings.sealedApiKey !== null,
  });
  const llmSettings = (settings: AiSettings) => {
    if (!settings.baseUrl || !settings.model) return null;
    return { baseUrl: settings.baseUrl, model: settings.model, apiKey: settings.sealedApiKey ? deps.sealer.open(settings.sealedApiKey) : "none" };
  };
  return {
    get: async (m: Membership) => view(await load(m.workspace.id)),
    /** What the workspace's intent classifier learnt from (null: the keyword rules alone decide until agents have corrected enough messages). */
    async classifier(m: Membership): Promise<{ examples: number; intents: string[]; trainedAt: Date } | null> {
      const stored = await deps.store.intentClassifiers.find(m.workspace.id);
      return stored ? { examples: stored.examples, intents: stored.intents, trainedAt: stored.trainedAt } : null;
    },
    /** `apiKey`: a new key, null to forget it, absent to keep it. */
    async update(m: Membership, change: { engine: "offline" | "llm"; baseUrl?: string | null; model?: string | null; apiKey?: string | null }) {
      requirePermission(m, "ai.manage");
      const current = await load(m.workspace.id);
      const next: AiSettings = {
        engine: change.engine,
        baseUrl: change.baseUrl !== undefined ? change.baseUrl : current.baseUrl,
        model: change.model !== undefined ? change.model : current.model,
        sealedApiKey: change.apiKey === undefined ? current.sealedApiKey : change.apiKey === null ? null : deps.sealer.seal(change.apiKey),
      };
      if (next.engine === "llm" && (!next.baseUrl || !next.model)) {
        throw new DomainError("ai.not_configured", "The LLM engine needs a base URL and a model.", { field: next.baseUrl ? "model" : "base_url" });
      }
      await deps.store.aiSettings.save(m.workspace.id, next);
      return view(next);
    },
    async testConnection(m: Membership): Promise<{ ok: true; model: string }> {
      requirePermission(m, "ai.manage");
      const settings = llmSettings(await load(m.workspace.id));
      if (!settings) throw new DomainError("ai.not_configured", "Set a base URL and a model first.");
      try {
        await deps.llm.test(settings);
      } catch (error) {
        throw new DomainError("ai.unreachable", `The endpoint did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { ok: true, model: settings.model };
    },
    /**
     * A summary of the conversation's latest 50 messages by the workspace's LLM. Throws
     * `conversations.not_found`, `ai.not_configured` (offline workspaces: there is no offline
     * summary) or `ai.unreachable`.
     */
    async summarise(m: Membership, conversationId: string): Promise<{ summary: string; model: string }> {
      const stored = await load(m.workspace.id);
      const settings = stored.engine === "llm" ? llmSettings(stored) : null;
      if (!(await deps.store.context.findSubject(m.workspace.id, conversationId))) throw notFound("conversations");
      if (!settings) throw new DomainError("ai.not_configured", "Summaries need the workspace's LLM engine.");
      const recent = await deps.store.context.latestMessages(m.workspace.id, conversationId, 50);
      const transcript = recent
        .reverse()
        .filter((message) => message.body)
        .map((message) => `${message.direction === "inbound" ? "Customer" : "Agent"}: ${message.body}`)
        .join("\n");
      try {
        return { summary: await deps.llm.summarise(settings, transcript), model: settings.model };
      } catch (error) {
        throw new DomainError("ai.unreachable", `The endpoint did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    /** The engine answering the workspace's suggestions: offline, or its LLM with the offline answer as the fallback. */
    async engineFor(workspaceId: string): Promise<SuggestionEngine> {
      const stored = await load(workspaceId);
      const settings = stored.engine === "llm" ? llmSettings(stored) : null;
      if (!settings) return deps.offline;
      return fallbackEngine(deps.llm.engine(settings, deps.offline), deps.offline, {
        timeoutMs: deps.timeoutMs,
        onFallback: (reason) => deps.warn(reason, "LLM suggestions failed; answered offline"),
      });
    },
  };
}

export type AiSettingsUseCases = ReturnType<typeof aiSettingsUseCases>;
