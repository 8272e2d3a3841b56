import { type SQL, sql } from "drizzle-orm";
import type { SuggestionRetrieval } from "../../domain/suggestions/retrieval.port.ts";
import type { Database } from "../database.ts";

/**
 * Past questions ranked per request: the first this many matches the index yields, unsorted, so
 * the scan stops early and a busy workspace (a common word matches thousands of messages) costs
 * no more than a small one. Sorting all matches first (by recency or rank) cost ~200 ms on
 * 100,000 messages.
 */
const candidateQuestions = 300;

/** The words OR-ed into a tsquery source text; they are letters and digits only (queryWords). */
const orQuery = (words: string[]) => words.join(" | ");

/** The best rank of `document` against the words over several configurations, and whether any matches. */
function ranked(document: SQL, words: string[], configs: string[]): { rank: SQL; matches: SQL } {
  const query = orQuery(words);
  const per = configs.map((config) => ({
    rank: sql`ts_rank(to_tsvector(${config}::regconfig, ${document}), to_tsquery(${config}::regconfig, ${query}))`,
    matches: sql`to_tsvector(${config}::regconfig, ${document}) @@ to_tsquery(${config}::regconfig, ${query})`,
  }));
  return {
    rank: sql`greatest(${sql.join(
      per.map((p) => p.rank),
      sql`, `,
    )})`,
    matches: sql`(${sql.join(
      per.map((p) => p.matches),
      sql` or `,
    )})`,
  };
}

async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export function suggestionRetrievalRepository(db: Database): SuggestionRetrieval {
  return {
    async cannedResponses(workspaceId, words, configs, limit) {
      const { rank, matches } = ranked(sql`replace(shortcode, '_', ' ') || ' ' || content`, words, configs);
      return rows(
        db,
        sql`select id, shortcode, content, ${rank}::float8 as rank from canned_responses
            where workspace_id = ${workspaceId} and ${matches} order by rank desc, shortcode limit ${limit}`,
      );
    },
    async articles(workspaceId, words, configs, limit) {
      // The title counts twice: a question is usually asked in the title's words.
      const { rank, matches } = ranked(sql`title || ' ' || title || ' ' || body`, words, configs);
      return rows(
        db,
        sql`select id, title, body, ${rank}::float8 as rank from articles
            where workspace_id = ${workspaceId} and ${matches} order by rank desc, updated_at desc limit ${limit}`,
      );
    },
    async pastReplies(workspaceId, words, excludeConversationId, limit) {
      // The question side uses the messages' own GIN index (simple configuration).
      const document = sql`to_tsvector('simple', coalesce(body, ''))`;
      const query = sql`to_tsquery('simple', ${orQuery(words)})`;
      return rows(
        db,
        sql`select reply.id, reply.body, question.rank::float8 as rank
            from (select id, conversation_id, ts_rank(${document}, ${query}) as rank
                  from (select id, conversation_id, body from messages
                        where workspace_id = ${workspaceId} and direction = 'inbound' and ${document} @@ ${query}
                          and conversation_id <> ${excludeConversationId}
                        limit ${candidateQuestions}) as recent
                  order by rank desc, id desc limit ${limit * 4}) as question
            cross join lateral (select id, body from messages as answer
                  where answer.conversation_id = question.conversation_id and answer.id > question.id
                    and answer.direction = 'outbound' and answer.sender_type = 'agent' and answer.body is not null
                  order by answer.conversation_id, answer.id limit 1) as reply
            order by rank desc limit ${limit}`,
      );
    },
  };
}
