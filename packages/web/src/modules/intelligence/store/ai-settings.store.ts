import type { AiSettingsRequest, ApiAiClassifier, ApiAiSettings } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { ref } from "vue";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { aiApi } from "../api/ai.api.ts";

/**
 * The workspace's AI settings page: the engine (offline or an OpenAI-compatible LLM with its base
 * URL, model and write-only key), the connection test and the intent classifier's status. Calls
 * throw the server's ApiError (403 for agents, 400 for a bad URL, 502 `ai.unreachable`).
 */
export const useAiSettingsStore = defineStore("ai-settings", () => {
  let scope: WorkspaceScope | null = null;
  const settings = ref<ApiAiSettings | null>(null);
  const classifier = ref<ApiAiClassifier | null>(null);

  function workspaceId(): string {
    if (!scope) throw new Error("No workspace is open.");
    return scope.workspaceId;
  }

  async function load(): Promise<void> {
    // The classifier's status is extra: a server without it still shows the settings.
    const [loaded, status] = await Promise.all([aiApi.settings(workspaceId()), aiApi.classifier(workspaceId()).catch(() => null)]);
    settings.value = loaded;
    classifier.value = status;
  }

  async function save(input: AiSettingsRequest): Promise<void> {
    settings.value = await aiApi.saveSettings(workspaceId(), input);
  }

  /** The model's name when the saved settings answer. */
  async function test(): Promise<string> {
    return (await aiApi.testConnection(workspaceId())).model;
  }

  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    settings.value = null;
    classifier.value = null;
  }

  return { settings, classifier, load, save, test, reset };
});
