import { DomainError, notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { datasetLine, type ExportFormat, type LineContext } from "./dataset.ts";
import { conversationRedactor, redactionCountry } from "./redaction.ts";

/** What `GET /exports/conversations.jsonl` asks for. */
export interface ExportRequest {
  format: ExportFormat;
  from?: Date | undefined;
  to?: Date | undefined;
  inboxId?: string | undefined;
  /** Replace phone numbers, e-mail addresses and the contact's name with placeholders (default on). */
  redact: boolean;
}

export interface ExportDependencies {
  store: Store;
  /** Conversations read per page; each page is one read of conversations and one of their messages. */
  pageSize?: number;
}

const defaultPageSize = 500;

/**
 * Checks an export request and returns its lines, produced lazily: each page of conversations is
 * read only when the consumer asks for more, so memory holds one page whatever the export's size.
 * Each chunk is the JSONL lines (newline-terminated) of one page; a page whose conversations the
 * format skips yields nothing. The lines are not one snapshot: conversations changed during the
 * export appear as they are when their page is read.
 *
 * Throws before anything is read: `auth.forbidden` (403) unless the caller is an owner or admin,
 * `request.invalid` (400) when `from` is not before `to`, `inboxes.not_found` (404) for an inbox
 * that is not the workspace's.
 */
export async function startConversationExport(deps: ExportDependencies, actor: Membership, request: ExportRequest): Promise<AsyncIterable<string>> {
  requirePermission(actor, "conversations.export");
  if (request.from && request.to && request.from.getTime() >= request.to.getTime()) {
    throw new DomainError("request.invalid", "from must be before to.", { field: "from" });
  }
  const workspaceId = actor.workspace.id;
  if (request.inboxId && !(await deps.store.inboxes.findById(workspaceId, request.inboxId))) throw notFound("inboxes");
  const profile = await deps.store.conversationExports.workspaceProfile(workspaceId);
  if (!profile) throw notFound("workspaces");
  const country = redactionCountry(profile.country);
  const pageSize = deps.pageSize ?? defaultPageSize;
  const filter = { workspaceId, inboxId: request.inboxId, from: request.from, to: request.to };
  const unchanged = (text: string) => text;

  return (async function* lines() {
    let afterId: string | null = null;
    do {
      const page = await deps.store.conversationExports.page(filter, afterId, pageSize);
      let chunk = "";
      for (const conversation of page.conversations) {
        const context: LineContext = {
          redact: request.redact,
          text: request.redact ? conversationRedactor(country, conversation.contactName) : unchanged,
          workspaceName: profile.name,
        };
        chunk += datasetLine(request.format, conversation, context);
      }
      if (chunk) yield chunk;
      afterId = page.nextAfterId;
    } while (afterId);
  })();
}
