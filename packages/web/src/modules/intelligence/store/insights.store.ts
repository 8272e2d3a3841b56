import type { ApiConversationContext, ApiSuggestions } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { reactive, ref, shallowReactive } from "vue";
import { ApiError, errorText } from "../../../lib/http.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { aiApi } from "../api/ai.api.ts";
import { knowledgeApi } from "../api/knowledge.api.ts";

/** What the contact panel knows of one conversation: its context, the suggested replies and the LLM's summary. */
export interface ConversationInsights {
  context: ApiConversationContext | null;
  contextError: string | null;
  suggestions: ApiSuggestions | null;
  suggestionsLoading: boolean;
  suggestionsError: string | null;
  summary: string | null;
  summaryLoading: boolean;
  summaryError: string | null;
}

// A burst of customer messages (or of events after a reconnect) becomes one refresh.
const refreshDelayMs = 400;

/**
 * Context and reply suggestions per open conversation, refreshed when the conversation moves
 * (`messageArrived`, from live-sync), and whether the workspace has an LLM (the summary button):
 * known from `GET /ai/settings`, and false for good once a summary answers 409 `ai.not_configured`.
 */
export const useInsightsStore = defineStore("insights", () => {
  let scope: WorkspaceScope | null = null;
  const entries = shallowReactive(new Map<string, ConversationInsights>());
  const hasLlm = ref(false);
  let engineKnown = false;
  const timers = new Map<string, { timer: ReturnType<typeof setTimeout>; suggestions: boolean }>();

  function entry(conversationId: string): ConversationInsights {
    let found = entries.get(conversationId);
    if (!found) {
      found = reactive<ConversationInsights>({
        context: null,
        contextError: null,
        suggestions: null,
        suggestionsLoading: false,
        suggestionsError: null,
        summary: null,
        summaryLoading: false,
        summaryError: null,
      });
      entries.set(conversationId, found);
    }
    return found;
  }

  async function loadContext(conversationId: string): Promise<void> {
    if (!scope) return;
    const target = entry(conversationId);
    try {
      target.context = await aiApi.context(scope.workspaceId, conversationId);
      target.contextError = null;
    } catch (caught) {
      target.contextError = errorText(caught);
    }
  }

  async function loadSuggestions(conversationId: string): Promise<void> {
    if (!scope) return;
    const target = entry(conversationId);
    target.suggestionsLoading = true;
    try {
      target.suggestions = await aiApi.suggestions(scope.workspaceId, conversationId);
      target.suggestionsError = null;
    } catch (caught) {
      target.suggestionsError = errorText(caught);
    } finally {
      target.suggestionsLoading = false;
    }
  }

  /** Loads the conversation's context and suggestions (the panel opened on it). */
  async function open(conversationId: string): Promise<void> {
    entry(conversationId);
    await Promise.all([loadContext(conversationId), loadSuggestions(conversationId)]);
  }

  /**
   * A message of `conversationId` arrived: its figures change (context reloaded); a customer's
   * message (`inbound`) also asks for new suggestions. Only conversations the panel has opened.
   */
  function messageArrived(conversationId: string, inbound: boolean): void {
    if (!entries.has(conversationId)) return;
    const pending = timers.get(conversationId);
    if (pending) clearTimeout(pending.timer);
    const suggestions = inbound || (pending?.suggestions ?? false);
    const timer = setTimeout(() => {
      timers.delete(conversationId);
      void loadContext(conversationId);
      if (suggestions) void loadSuggestions(conversationId);
    }, refreshDelayMs);
    timers.set(conversationId, { timer, suggestions });
  }

  /** Replaces the conversation's labels; throws the server's ApiError (a name not in the catalogue) and keeps the old ones then. */
  async function setLabels(conversationId: string, labels: readonly string[]): Promise<void> {
    if (!scope) return;
    const saved = await knowledgeApi.setConversationLabels(scope.workspaceId, conversationId, labels);
    const context = entries.get(conversationId)?.context;
    if (context) context.business = { ...context.business, labels: saved.labels };
  }

  /** Whether the workspace's engine is an LLM (decides whether the summary is offered); asked once per workspace. */
  async function loadEngine(): Promise<void> {
    if (!scope || engineKnown) return;
    engineKnown = true;
    try {
      hasLlm.value = (await aiApi.settings(scope.workspaceId)).engine === "llm";
    } catch {
      engineKnown = false;
      hasLlm.value = false;
    }
  }

  /** The workspace's engine was just changed (Settings → AI): the summary follows at once. */
  function engineChanged(engine: "offline" | "llm"): void {
    engineKnown = true;
    hasLlm.value = engine === "llm";
  }

  /** Asks the workspace's LLM for a summary; 409 `ai.not_configured` hides the summary for good. */
  async function summarise(conversationId: string): Promise<void> {
    if (!scope) return;
    const target = entry(conversationId);
    target.summaryLoading = true;
    target.summaryError = null;
    try {
      target.summary = (await aiApi.summary(scope.workspaceId, conversationId)).summary;
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "ai.not_configured") hasLlm.value = false;
      else target.summaryError = errorText(caught);
    } finally {
      target.summaryLoading = false;
    }
  }

  /** The panel left the conversation: forget its insights, so its messages no longer refresh them. */
  function close(conversationId: string): void {
    const pending = timers.get(conversationId);
    if (pending) clearTimeout(pending.timer);
    timers.delete(conversationId);
    entries.delete(conversationId);
  }

  function get(conversationId: string): ConversationInsights | undefined {
    return entries.get(conversationId);
  }

  /** Forgets every conversation's insights and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    for (const { timer } of timers.values()) clearTimeout(timer);
    timers.clear();
    entries.clear();
    hasLlm.value = false;
    engineKnown = false;
  }

  return { hasLlm, get, open, close, messageArrived, setLabels, loadEngine, engineChanged, summarise, reset };
});
