import type {
  ApiAudiencePreview,
  ApiCampaign,
  ApiCampaignAudience,
  ApiCampaignMessage,
  ApiCampaignRecipient,
  ApiCampaignRequest,
  ApiContact,
  ApiLabel,
  ApiTemplate,
  ApiWorkspaceSettings,
  CampaignRecipientStatus,
} from "@parley/protocol/api";
import { download, http, withQuery } from "../../../lib/http.ts";
import type { Page } from "../../../lib/types.ts";

const ws = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;
const campaignPath = (workspaceId: string, campaignId: string) => `${ws(workspaceId)}/campaigns/${campaignId}`;

/** What a campaign can be told to do from its running view: `POST /campaigns/{id}/{action}`. */
export type CampaignAction = "start" | "pause" | "resume" | "cancel" | "retry-failed";

/** Campaigns (issue 10's contract) and the look-ups their wizard needs; every call throws ApiError. */
export const campaignsApi = {
  list: (workspaceId: string) => http<{ data: ApiCampaign[] }>("GET", `${ws(workspaceId)}/campaigns`),
  get: (workspaceId: string, campaignId: string) => http<ApiCampaign>("GET", campaignPath(workspaceId, campaignId)),
  /** Creates a draft (201); 422 names the invalid field. */
  create: (workspaceId: string, request: ApiCampaignRequest) => http<ApiCampaign>("POST", `${ws(workspaceId)}/campaigns`, request),
  /** Changes a draft or scheduled campaign (409 once it has started). */
  update: (workspaceId: string, campaignId: string, request: Partial<ApiCampaignRequest>) =>
    http<ApiCampaign>("PATCH", campaignPath(workspaceId, campaignId), request),
  delete: (workspaceId: string, campaignId: string) => http<void>("DELETE", campaignPath(workspaceId, campaignId)),
  /** Moves the campaign along (409 when its status does not allow it) and answers with it as it now is. */
  act: (workspaceId: string, campaignId: string, action: CampaignAction) => http<ApiCampaign>("POST", `${campaignPath(workspaceId, campaignId)}/${action}`),
  /** One page of recipients, ordered by id; `status` filters, `cursor` is the previous page's `next_cursor`, `limit` 1–500 (default 100). */
  recipients: (
    workspaceId: string,
    campaignId: string,
    query: { status?: CampaignRecipientStatus | null; cursor?: string | null; limit?: number },
    signal?: AbortSignal,
  ) => http<Page<ApiCampaignRecipient>>("GET", withQuery(`${campaignPath(workspaceId, campaignId)}/recipients`, query), undefined, signal ? { signal } : {}),
  /** Every recipient as CSV (streamed by the server). */
  recipientsCsv: (workspaceId: string, campaignId: string) => download(`${campaignPath(workspaceId, campaignId)}/recipients.csv`),
  /** How many of `audience` would receive a message from `inbox_id` now, and how many are skipped by reason. */
  audiencePreview: (workspaceId: string, body: { inbox_id: string; audience: ApiCampaignAudience; message?: ApiCampaignMessage }, signal?: AbortSignal) =>
    http<ApiAudiencePreview>("POST", `${ws(workspaceId)}/campaigns/audience-preview`, body, signal ? { signal } : {}),
  /** The message as `contact_id` would receive it; from the saved campaign `campaign_id` when given (its text variation is theirs). */
  preview: (workspaceId: string, body: { inbox_id: string; message: ApiCampaignMessage; contact_id: string; campaign_id?: string }, signal?: AbortSignal) =>
    http<{ text: string }>("POST", `${ws(workspaceId)}/campaigns/preview`, body, signal ? { signal } : {}),
  labels: (workspaceId: string) => http<{ data: ApiLabel[] }>("GET", `${ws(workspaceId)}/labels`),
  /** Contacts whose name, e-mail or phone match `q`. */
  searchContacts: (workspaceId: string, q: string, signal?: AbortSignal) =>
    http<Page<ApiContact>>("GET", withQuery(`${ws(workspaceId)}/contacts`, { q, limit: 20 }), undefined, signal ? { signal } : {}),
  contact: (workspaceId: string, contactId: string) => http<ApiContact>("GET", `${ws(workspaceId)}/contacts/${contactId}`),
  /** A Cloud API inbox's templates as Meta lists them (any status; the wizard offers approved ones). */
  templates: (workspaceId: string, inboxId: string) => http<{ data: ApiTemplate[] }>("GET", `${ws(workspaceId)}/inboxes/${inboxId}/templates`),
  /** The workspace's settings: schedules are entered in its `time_zone`. */
  settings: (workspaceId: string) => http<ApiWorkspaceSettings>("GET", `${ws(workspaceId)}/settings`),
};
