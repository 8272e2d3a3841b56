import { http, withQuery } from "../../../lib/http.ts";
import type { Message, Page } from "../../../lib/types.ts";

const base = (workspaceId: string, conversationId: string) => `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;

export const messagesApi = {
  /** A page oldest first; `before` pages back from a message id. next_cursor is the id to page back from. */
  page: (workspaceId: string, conversationId: string, query: { before?: string | null; limit?: number }) =>
    http<Page<Message>>("GET", withQuery(base(workspaceId, conversationId), query)),
  /** Messages created or changed after `updatedAfter` (ISO), oldest change first, at most 200. */
  changedSince: (workspaceId: string, conversationId: string, updatedAfter: string) =>
    http<Page<Message>>("GET", withQuery(base(workspaceId, conversationId), { updated_after: updatedAfter, limit: 200 })),
  /** Sends a text reply; idempotent on client_message_id (a repeat answers 200 with the same message). */
  send: (workspaceId: string, conversationId: string, input: { body: string; client_message_id: string; reply_to_id?: string | null }) =>
    http<Message>("POST", base(workspaceId, conversationId), input.reply_to_id ? input : { body: input.body, client_message_id: input.client_message_id }),
  /** Asks the server to send a failed message again. */
  retry: (workspaceId: string, messageId: string) => http<Message>("POST", `/api/v1/workspaces/${workspaceId}/messages/${messageId}/retry`, {}),
};
