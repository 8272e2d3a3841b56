import { http } from "../../../lib/http.ts";
import type { GroupParticipant } from "../../../lib/types.ts";

export const participantsApi = {
  /** A group conversation's members now, admins first (422 `conversations.not_group` for a private one). */
  list: (workspaceId: string, conversationId: string) =>
    http<{ data: GroupParticipant[] }>("GET", `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/participants`),
};
