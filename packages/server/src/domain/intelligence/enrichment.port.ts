/** The message enrichment repository port (implemented by store/repositories/message-enrichment.repository.ts). */
import type { StoredCorrection } from "./correction.ts";
import type { Enrichment, Language } from "./enrichment.ts";

/** What enriching one stored customer message needs, read in one statement for a batch. */
export interface EnrichmentInput {
  id: string;
  conversationId: string;
  body: string;
  /** When the customer wrote it. */
  at: Date;
  /** The language of the latest enriched customer message before it in the conversation, if any. */
  lastLanguage: Language | null;
  /** The first customer message since the business last replied, before or at this one. */
  waitingSince: Date;
  /** The workspace's languages from its settings (`settings.languages`), or null for the default. */
  workspaceLanguages: Language[] | null;
}

/** A message's enrichment as shown (corrections applied), for the `message.enriched` event. */
export interface SavedEnrichment {
  id: string;
  conversationId: string;
  enrichment: Enrichment;
}

export interface MessageEnrichmentRepository {
  /** The inputs of a workspace's inbound messages among `ids` that have a text body, oldest first. */
  inputs(workspaceId: string, ids: string[]): Promise<EnrichmentInput[]>;
  /**
   * Stores computed enrichments (agents' corrections are kept over them) and the effective
   * `sentiment` score and `intent` columns; returns what each message now shows.
   */
  save(workspaceId: string, enrichments: Array<{ id: string; enrichment: Enrichment }>): Promise<SavedEnrichment[]>;
  /**
   * Records an agent's correction on a workspace's message (merged with an earlier one), storing
   * `computed` too when the message had none yet. Returns what it now shows, or null when the
   * workspace has no such message.
   */
  correct(workspaceId: string, id: string, correction: StoredCorrection, computed: Enrichment | null): Promise<SavedEnrichment | null>;
  /** Up to `limit` ids of a workspace's inbound text messages after `afterId` (all when null), in id order. */
  inboundIdsAfter(workspaceId: string, afterId: string | null, limit: number): Promise<string[]>;
}
