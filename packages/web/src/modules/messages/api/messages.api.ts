import type { EnrichmentCorrectionRequest } from "@parley/protocol/api";
import { http, withQuery } from "../../../lib/http.ts";
import type { Message, MessageTemplate, Page } from "../../../lib/types.ts";

/** What `POST .../messages` takes: text, an uploaded media id with an optional caption, or an approved template. */
export type SendInput = { client_message_id: string; reply_to_id?: string | null } & (
  | { body: string }
  | { media_id: string; body?: string }
  | { template: MessageTemplate }
);

const base = (workspaceId: string, conversationId: string) => `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;

export const messagesApi = {
  /** A page oldest first; `before` pages back from a message id. next_cursor is the id to page back from. */
  page: (workspaceId: string, conversationId: string, query: { before?: string | null; limit?: number }) =>
    http<Page<Message>>("GET", withQuery(base(workspaceId, conversationId), query)),
  /** Messages created or changed after `updatedAfter` (ISO), oldest change first, at most 200. */
  changedSince: (workspaceId: string, conversationId: string, updatedAfter: string) =>
    http<Page<Message>>("GET", withQuery(base(workspaceId, conversationId), { updated_after: updatedAfter, limit: 200 })),
  /**
   * Sends a reply; idempotent on client_message_id (a repeat answers 200 with the same message).
   * A free-form send after the customer-service window throws ApiError 422 `conversations.window_closed`.
   */
  send: (workspaceId: string, conversationId: string, input: SendInput) => {
    const { reply_to_id: replyToId, ...rest } = input;
    return http<Message>("POST", base(workspaceId, conversationId), replyToId ? { ...rest, reply_to_id: replyToId } : rest);
  },
  /** Records an agent's correction of a customer message's intent and/or sentiment (trains the workspace's classifier); answers the message. */
  correctEnrichment: (workspaceId: string, messageId: string, change: EnrichmentCorrectionRequest) =>
    http<Message>("PATCH", `/api/v1/workspaces/${workspaceId}/messages/${messageId}/enrichment`, change),
  /** Asks the server to send a failed message again. */
  retry: (workspaceId: string, messageId: string) => http<Message>("POST", `/api/v1/workspaces/${workspaceId}/messages/${messageId}/retry`, {}),
};
