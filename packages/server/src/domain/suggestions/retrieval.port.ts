/** A full-text hit: the row and its PostgreSQL ts_rank (higher is better). */
export interface Hit {
  id: string;
  rank: number;
}

/**
 * Full-text retrieval for the offline engine. `words` are safe (letters and digits only, see
 * queryWords) and are OR-ed; `configs` are the text-search configurations to rank in
 * (`indonesian`, `english`, `simple`), the best rank of them counting.
 */
export interface SuggestionRetrieval {
  cannedResponses(workspaceId: string, words: string[], configs: string[], limit: number): Promise<(Hit & { shortcode: string; content: string })[]>;
  articles(workspaceId: string, words: string[], configs: string[], limit: number): Promise<(Hit & { title: string; body: string })[]>;
  /** Agents' replies to other conversations' inbound messages like these words: the reply's id and text, ranked by the question's match. */
  pastReplies(workspaceId: string, words: string[], excludeConversationId: string, limit: number): Promise<(Hit & { body: string })[]>;
}
