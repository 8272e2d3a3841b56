import type { ApiWorkspaceSettings, ApiWorkspaceSettingsChange, MessagingLimit } from "@parley/protocol/api";
import { download, http, withQuery } from "../../../lib/http.ts";
import type { CreateInboxRequest, Inbox, Member, Role, WhatsappEngine } from "../../../lib/types.ts";

const ws = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

/** A widget inbox to create: its name and, optionally, its appearance. */
export type NewWidgetInbox = Omit<Extract<CreateInboxRequest, { provider: "web_widget" }>, "provider">;

/** A WhatsApp Cloud API inbox as `POST .../inboxes` takes it; ids are Meta's numeric ids, `graph_base_url` defaults to Meta's versioned Graph URL. */
export interface NewCloudInbox {
  name: string;
  provider: "whatsapp_cloud";
  config: { phone_number_id: string; waba_id?: string; access_token: string; app_secret: string; verify_token: string; graph_base_url?: string };
}

/** A WhatsApp Web inbox to create: linked by QR on a phone, run by one of the engines. */
export interface NewWhatsappWebInbox {
  name: string;
  engine: WhatsappEngine;
}

export const inboxesApi = {
  list: (workspaceId: string) => http<{ data: Inbox[] }>("GET", `${ws(workspaceId)}/inboxes`),
  createWidget: (workspaceId: string, input: NewWidgetInbox) => http<Inbox>("POST", `${ws(workspaceId)}/inboxes`, { ...input, provider: "web_widget" }),
  /** Creates a WhatsApp Cloud API inbox; 400 `{error: {code, message, field}}` names the field the server rejected. */
  createCloud: (workspaceId: string, input: NewCloudInbox) => http<Inbox>("POST", `${ws(workspaceId)}/inboxes`, input),
  createWhatsappWeb: (workspaceId: string, input: NewWhatsappWebInbox) =>
    http<Inbox>("POST", `${ws(workspaceId)}/inboxes`, { name: input.name, provider: "whatsapp_web", config: { engine: input.engine } }),
  get: (workspaceId: string, inboxId: string) => http<Inbox>("GET", `${ws(workspaceId)}/inboxes/${inboxId}`),
  /** Deletes an inbox with its conversations (a WhatsApp Web session is logged out first). Owners and admins only. */
  delete: (workspaceId: string, inboxId: string) => http<void>("DELETE", `${ws(workspaceId)}/inboxes/${inboxId}`),
  /** Restarts a WhatsApp Web session (a logged-out one shows a new QR). */
  restart: (workspaceId: string, inboxId: string) => http<void>("POST", `${ws(workspaceId)}/inboxes/${inboxId}/restart`),
  /** Renames an inbox, makes it the workspace's primary of its kind (replies fail over to it), or sets a Cloud API number's messaging limit. */
  update: (workspaceId: string, inboxId: string, changes: { name?: string; is_primary?: boolean; messaging_limit?: MessagingLimit }) =>
    http<Inbox>("PATCH", `${ws(workspaceId)}/inboxes/${inboxId}`, changes),
  logout: (workspaceId: string, inboxId: string) => http<void>("POST", `${ws(workspaceId)}/inboxes/${inboxId}/logout`),
  /** The code to type on the phone instead of scanning (`phone_number` in E.164). */
  pairingCode: (workspaceId: string, inboxId: string, phoneNumber: string) =>
    http<{ code: string }>("POST", `${ws(workspaceId)}/inboxes/${inboxId}/pairing-code`, { phone_number: phoneNumber }),
  /** The sandbox phone scans the inbox's QR (sandbox inboxes only). */
  sandboxScan: (inboxId: string) => http<void>("POST", `/api/v1/sandbox/${inboxId}/scan`),
};

export const membersApi = {
  list: (workspaceId: string) => http<{ data: Member[] }>("GET", `${ws(workspaceId)}/members`),
  /** Adds a member by e-mail; name and password create the account when the e-mail has none. */
  add: (workspaceId: string, input: { email: string; role: Role; name?: string; password?: string }) =>
    http<Member>("POST", `${ws(workspaceId)}/members`, input),
  changeRole: (workspaceId: string, userId: string, role: Role) => http<Member>("PATCH", `${ws(workspaceId)}/members/${userId}`, { role }),
  remove: (workspaceId: string, userId: string) => http<void>("DELETE", `${ws(workspaceId)}/members/${userId}`),
};

/** The embed code for a widget inbox, for `origin` (e.g. https://parley.example). */
export function widgetSnippet(origin: string, widgetKey: string): string {
  return `<script src="${origin}/widget.js" data-widget-key="${widgetKey}" async></script>`;
}

/** What a dataset export asks for (see the server's `GET /exports/conversations.jsonl`); dates are `YYYY-MM-DD`, `to` exclusive. */
export interface ExportQuery {
  format: "native" | "openai" | "sharegpt";
  from?: string;
  to?: string;
  inbox_id?: string;
  redact: boolean;
}

export const exportsApi = {
  /** The conversations as JSONL; `onProgress` gets the bytes and conversations (lines) received so far. Owners and admins only (403 otherwise). */
  conversations: (
    workspaceId: string,
    query: ExportQuery,
    options: { onProgress?: (bytes: number, conversations: number) => void; signal?: AbortSignal } = {},
  ) => download(withQuery(`${ws(workspaceId)}/exports/conversations.jsonl`, { ...query, redact: String(query.redact) }), options),
};

export const workspaceSettingsApi = {
  get: (workspaceId: string) => http<ApiWorkspaceSettings>("GET", `${ws(workspaceId)}/settings`),
  /** Owners and admins; 422 `workspaces.invalid_settings` names the field (an unknown country or time zone). */
  update: (workspaceId: string, changes: ApiWorkspaceSettingsChange) => http<ApiWorkspaceSettings>("PATCH", `${ws(workspaceId)}/settings`, changes),
};
