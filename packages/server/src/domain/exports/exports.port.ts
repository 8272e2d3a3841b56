import type { ExportConversation } from "./dataset.ts";

/** Which conversations an export reads. Times are instants; `to` is exclusive. */
export interface ExportFilter {
  workspaceId: string;
  inboxId?: string | undefined;
  /** Only messages at or after this instant (and conversations that have one). */
  from?: Date | undefined;
  /** Only messages before this instant (and conversations that have one). */
  to?: Date | undefined;
}

/** One page of an export: conversations in id order, and where the next page starts. */
export interface ExportPage {
  /** Conversations with at least one message in the range; their messages oldest first. */
  conversations: ExportConversation[];
  /** The id to pass as `afterId` for the next page, or null when the scan is done. */
  nextAfterId: string | null;
}

/**
 * Reads conversations for the dataset export in keyset pages (never one transaction for the
 * whole export: PGlite has one connection that every other request needs too).
 */
export interface ConversationExportRepository {
  /** Scans up to `limit` conversations after `afterId` (null: from the start) matching `filter`. */
  page(filter: ExportFilter, afterId: string | null, limit: number): Promise<ExportPage>;
  /** The workspace's name and its default country (`settings.country`, ISO 3166 alpha-2), or null when there is no such workspace. */
  workspaceProfile(workspaceId: string): Promise<{ name: string; country: string | null } | null>;
}
