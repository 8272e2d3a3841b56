import { http, withQuery } from "../../../lib/http.ts";
import type { Conversation, ConversationStatus, Page } from "../../../lib/types.ts";

const base = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/conversations`;

export interface ConversationQuery {
  limit?: number;
  cursor?: string | null;
  inbox_id?: string | null;
  status?: ConversationStatus | null;
  /** A user id, or "none" for unassigned. */
  assignee_id?: string | null;
  /** ISO time: only conversations changed after it (catch-up). */
  updated_after?: string | null;
  q?: string | null;
  /** Label names, comma-separated: conversations carrying all of them. */
  label?: string | null;
}

export const conversationsApi = {
  /** A page of conversations, newest activity first. */
  list: (workspaceId: string, query: ConversationQuery, signal?: AbortSignal) =>
    http<Page<Conversation>>("GET", withQuery(base(workspaceId), { ...query }), undefined, signal ? { signal } : {}),
  get: (workspaceId: string, id: string) => http<Conversation>("GET", `${base(workspaceId)}/${id}`),
  update: (workspaceId: string, id: string, changes: { status?: ConversationStatus; assignee_id?: string | null }) =>
    http<Conversation>("PATCH", `${base(workspaceId)}/${id}`, changes),
  /** Marks the customer's messages read and clears the unread count. */
  markRead: (workspaceId: string, id: string) => http<Conversation>("POST", `${base(workspaceId)}/${id}/read`, {}),
};
