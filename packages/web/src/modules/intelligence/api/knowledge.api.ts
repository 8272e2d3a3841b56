import type { ApiArticle, ApiCannedResponse, ApiLabel } from "@parley/protocol/api";
import { http, withQuery } from "../../../lib/http.ts";

const ws = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

/** A canned response to create or change: `shortcode` is 1–32 of `a-z 0-9 _ -` (400 `validation` otherwise). */
export interface CannedResponseInput {
  shortcode: string;
  content: string;
}

/** An article to write: `language` an ISO 639 code ("id", "en"). */
export interface ArticleInput {
  title: string;
  body: string;
  language: string;
}

/** A label of the catalogue: `color` is `#rrggbb`. */
export interface LabelInput {
  name: string;
  color: string;
}

/** Canned responses, the label catalogue (and labels on conversations), knowledge-base articles (issue 9, parts 3 and 4). */
export const knowledgeApi = {
  cannedResponses: (workspaceId: string) => http<{ data: ApiCannedResponse[] }>("GET", `${ws(workspaceId)}/canned-responses`),
  createCannedResponse: (workspaceId: string, input: CannedResponseInput) => http<ApiCannedResponse>("POST", `${ws(workspaceId)}/canned-responses`, input),
  updateCannedResponse: (workspaceId: string, id: string, input: Partial<CannedResponseInput>) =>
    http<ApiCannedResponse>("PATCH", `${ws(workspaceId)}/canned-responses/${id}`, input),
  deleteCannedResponse: (workspaceId: string, id: string) => http<void>("DELETE", `${ws(workspaceId)}/canned-responses/${id}`),

  labels: (workspaceId: string) => http<{ data: ApiLabel[] }>("GET", `${ws(workspaceId)}/labels`),
  createLabel: (workspaceId: string, input: LabelInput) => http<ApiLabel>("POST", `${ws(workspaceId)}/labels`, input),
  updateLabel: (workspaceId: string, id: string, input: Partial<LabelInput>) => http<ApiLabel>("PATCH", `${ws(workspaceId)}/labels/${id}`, input),
  deleteLabel: (workspaceId: string, id: string) => http<void>("DELETE", `${ws(workspaceId)}/labels/${id}`),
  /** Replaces a conversation's labels with `labels` (names from the catalogue); answers the labels it now has. */
  setConversationLabels: (workspaceId: string, conversationId: string, labels: readonly string[]) =>
    http<{ labels: string[] }>("PUT", `${ws(workspaceId)}/conversations/${conversationId}/labels`, { labels }),

  /** Articles, newest first; with `q` the best matches of title and body first. */
  articles: (workspaceId: string, query: { q?: string; language?: string } = {}) =>
    http<{ data: ApiArticle[] }>("GET", withQuery(`${ws(workspaceId)}/articles`, { ...query, limit: 100 })),
  createArticle: (workspaceId: string, input: ArticleInput) => http<ApiArticle>("POST", `${ws(workspaceId)}/articles`, input),
  updateArticle: (workspaceId: string, id: string, input: Partial<ArticleInput>) => http<ApiArticle>("PATCH", `${ws(workspaceId)}/articles/${id}`, input),
  deleteArticle: (workspaceId: string, id: string) => http<void>("DELETE", `${ws(workspaceId)}/articles/${id}`),
};
