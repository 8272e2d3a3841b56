import { http } from "../../../lib/http.ts";

/** An approved WhatsApp message template of an inbox's business account; `body` has {{1}}, {{2}}… placeholders. */
export interface WhatsAppTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  body: string;
  variable_count: number;
}

export const templatesApi = {
  /** The inbox's templates (`GET .../inboxes/{id}/templates`), as Meta lists them for its WhatsApp Business Account. */
  list: (workspaceId: string, inboxId: string) => http<{ data: WhatsAppTemplate[] }>("GET", `/api/v1/workspaces/${workspaceId}/inboxes/${inboxId}/templates`),
};
