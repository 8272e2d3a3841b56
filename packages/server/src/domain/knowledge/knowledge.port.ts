import type { Article, CannedResponse, Label } from "./knowledge.ts";

/** What a canned response is written with. */
export interface CannedResponseDraft {
  shortcode: string;
  content: string;
}

/** What an article is written with. */
export interface ArticleDraft {
  title: string;
  body: string;
  language: string;
}

/** A search hit with its rank (higher is better; PostgreSQL `ts_rank`, 0..~1). */
export interface Ranked<T> {
  item: T;
  score: number;
}

/**
 * Canned responses, labels and articles of a workspace. Writes throw DomainError
 * `canned.shortcode_taken` / `labels.name_taken` on a duplicate.
 */
export interface KnowledgeRepository {
  listCannedResponses(workspaceId: string, options: { q?: string }): Promise<CannedResponse[]>;
  findCannedResponse(workspaceId: string, id: string): Promise<CannedResponse | null>;
  insertCannedResponse(workspaceId: string, id: string, draft: CannedResponseDraft): Promise<CannedResponse>;
  updateCannedResponse(workspaceId: string, id: string, draft: Partial<CannedResponseDraft>): Promise<CannedResponse | null>;
  deleteCannedResponse(workspaceId: string, id: string): Promise<boolean>;

  listLabels(workspaceId: string): Promise<Label[]>;
  findLabel(workspaceId: string, id: string): Promise<Label | null>;
  insertLabel(workspaceId: string, id: string, draft: { name: string; color?: string }): Promise<Label>;
  /** Adds the names missing from the catalogue (default colour); names already there are left as they are. */
  ensureLabels(workspaceId: string, names: string[]): Promise<void>;
  /** Renames also rewrite the name on every contact and conversation carrying it. */
  updateLabel(workspaceId: string, id: string, draft: { name?: string; color?: string }): Promise<Label | null>;
  /** Also removes the name from every contact and conversation carrying it. */
  deleteLabel(workspaceId: string, id: string): Promise<boolean>;
  /** The labels of one conversation (null when it is not the workspace's). */
  setConversationLabels(workspaceId: string, conversationId: string, names: string[]): Promise<string[] | null>;
  setContactLabels(workspaceId: string, contactId: string, names: string[]): Promise<string[] | null>;

  listArticles(workspaceId: string, options: { q?: string; language?: string; limit: number }): Promise<Article[]>;
  findArticle(workspaceId: string, id: string): Promise<Article | null>;
  insertArticle(workspaceId: string, id: string, draft: ArticleDraft): Promise<Article>;
  updateArticle(workspaceId: string, id: string, draft: Partial<ArticleDraft>): Promise<Article | null>;
  deleteArticle(workspaceId: string, id: string): Promise<boolean>;
}
