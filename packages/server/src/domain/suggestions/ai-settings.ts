import type { SuggestionEngine } from "./suggestions.ts";

/** A workspace's choice of engine; the API key is sealed (SecretSealer) and never leaves the server. */
export interface AiSettings {
  engine: "offline" | "llm";
  baseUrl: string | null;
  model: string | null;
  sealedApiKey: string | null;
}

/** Stored AI settings per workspace. */
export interface AiSettingsRepository {
  find(workspaceId: string): Promise<AiSettings | null>;
  save(workspaceId: string, settings: AiSettings): Promise<void>;
}

/** What the LLM side needs, provided by the composition root (ai/llm-engine.ts behind it). */
export interface LlmPort {
  engine(settings: { baseUrl: string; model: string; apiKey: string }, offline: SuggestionEngine): SuggestionEngine;
  test(settings: { baseUrl: string; model: string; apiKey: string }): Promise<void>;
  summarise(settings: { baseUrl: string; model: string; apiKey: string }, transcript: string): Promise<string>;
}
