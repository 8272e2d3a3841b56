import type { ApiContactChange, ApiContactCreate, ApiContactDetail, ApiContactImportReport, ApiLabel } from "@parley/protocol/api";
import { download, http, upload, withQuery } from "../../../lib/http.ts";

const contactsPath = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/contacts`;

/** Which contacts the list and the export show: text search, labels (all of them), opted out or not. */
export interface ContactQuery {
  q?: string;
  labels?: string[];
  optedOut?: boolean;
}

/** The query string of a ContactQuery (labels comma-separated: the server reads both forms). */
function queryOf(query: ContactQuery): Record<string, string | undefined> {
  return {
    q: query.q?.trim() || undefined,
    label: query.labels?.length ? query.labels.join(",") : undefined,
    opted_out: query.optedOut === undefined ? undefined : String(query.optedOut),
  };
}

export const contactsApi = {
  /** A page of contacts, newest first; `before` is the previous page's `next_cursor`. */
  list: (workspaceId: string, query: ContactQuery, page: { limit: number; before?: string | null }, signal?: AbortSignal) =>
    http<{ data: ApiContactDetail[]; next_cursor: string | null }>(
      "GET",
      withQuery(contactsPath(workspaceId), { ...queryOf(query), limit: page.limit, before: page.before ?? undefined }),
      undefined,
      signal ? { signal } : {},
    ),
  create: (workspaceId: string, input: ApiContactCreate) => http<ApiContactDetail>("POST", contactsPath(workspaceId), input),
  /** 409 `contacts.phone_taken`, 422 `contacts.invalid_phone`, 400 `labels.unknown` name the field at fault. */
  update: (workspaceId: string, contactId: string, changes: ApiContactChange) =>
    http<ApiContactDetail>("PATCH", `${contactsPath(workspaceId)}/${contactId}`, changes),
  /** Uploads a CSV (multipart `file`, optional `label` for every row); resolves to the per-row report. */
  import: (workspaceId: string, file: File, label: string | null, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}) => {
    const form = new FormData();
    if (label) form.append("label", label);
    form.append("file", file);
    return upload<ApiContactImportReport>(`${contactsPath(workspaceId)}/import`, form, options);
  },
  /** The filtered contacts as CSV. */
  export: (workspaceId: string, query: ContactQuery, options: { signal?: AbortSignal } = {}) =>
    download(withQuery(`${contactsPath(workspaceId)}/export.csv`, queryOf(query)), options),
  /** The workspace's label catalogue (for the filter chips and the editor). */
  labels: (workspaceId: string) => http<{ data: ApiLabel[] }>("GET", `/api/v1/workspaces/${workspaceId}/labels`),
};
