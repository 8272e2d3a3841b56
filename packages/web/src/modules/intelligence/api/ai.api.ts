import type {
  AiSettingsRequest,
  ApiAiClassifier,
  ApiAiConnectionTest,
  ApiAiSettings,
  ApiAiSummary,
  ApiConversationContext,
  ApiSuggestions,
} from "@parley/protocol/api";
import { http } from "../../../lib/http.ts";

const ws = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

/** Conversation context, reply suggestions, the LLM summary and the workspace's AI settings (issue 9, parts 2 and 5). */
export const aiApi = {
  context: (workspaceId: string, conversationId: string) => http<ApiConversationContext>("GET", `${ws(workspaceId)}/conversations/${conversationId}/context`),
  suggestions: (workspaceId: string, conversationId: string) =>
    http<ApiSuggestions>("POST", `${ws(workspaceId)}/ai/suggestions`, { conversation_id: conversationId }),
  /** Throws ApiError 409 `ai.not_configured` when the workspace has no LLM, 502 `ai.unreachable` when it did not answer. */
  summary: (workspaceId: string, conversationId: string) => http<ApiAiSummary>("POST", `${ws(workspaceId)}/ai/summary`, { conversation_id: conversationId }),
  settings: (workspaceId: string) => http<ApiAiSettings>("GET", `${ws(workspaceId)}/ai/settings`),
  /** Owners and admins (403 otherwise); `api_key` absent keeps the stored key. */
  saveSettings: (workspaceId: string, input: AiSettingsRequest) => http<ApiAiSettings>("PUT", `${ws(workspaceId)}/ai/settings`, input),
  /** A one-token completion with the saved settings; 502 `ai.unreachable` with the reason. */
  testConnection: (workspaceId: string) => http<ApiAiConnectionTest>("POST", `${ws(workspaceId)}/ai/settings/test`, {}),
  classifier: (workspaceId: string) => http<ApiAiClassifier>("GET", `${ws(workspaceId)}/ai/classifier`),
};
