import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { EventPublisher } from "../events.ts";
import type { Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { type Article, type CannedResponse, type Label, normaliseLabelName, normaliseShortcode } from "./knowledge.ts";
import type { ArticleDraft, CannedResponseDraft } from "./knowledge.port.ts";

export interface KnowledgeDependencies {
  store: Store;
  /** Broadcasts `conversation.updated` when a conversation's labels change, so every agent's list follows. */
  events?: EventPublisher;
}

function cannedDraft(draft: Partial<CannedResponseDraft>): Partial<CannedResponseDraft> {
  return {
    ...(draft.shortcode !== undefined ? { shortcode: normaliseShortcode(draft.shortcode) } : {}),
    ...(draft.content !== undefined ? { content: draft.content } : {}),
  };
}

/**
 * The label names as stored: normalised, deduplicated, and each one in the workspace's
 * catalogue (throws `labels.unknown` naming the first that is not).
 */
export async function catalogued(deps: KnowledgeDependencies, workspaceId: string, names: string[]): Promise<string[]> {
  const wanted = [...new Set(names.map(normaliseLabelName))];
  const known = new Set((await deps.store.knowledge.listLabels(workspaceId)).map((label) => label.name));
  const unknown = wanted.find((name) => !known.has(name));
  if (unknown !== undefined) throw new DomainError("labels.unknown", `There is no label named "${unknown}"; create it first.`, { field: "labels" });
  return wanted;
}

/**
 * Canned responses, labels and knowledge-base articles of the caller's workspace. Reads are
 * open to every member; writes need `knowledge.manage` (agents and up; `auth.forbidden`), and
 * setting a conversation's labels `conversations.update`. Missing or foreign ids throw
 * `{resource}.not_found`.
 */
export function knowledgeUseCases(deps: KnowledgeDependencies) {
  const repo = deps.store.knowledge;
  const orNotFound =
    <T>(resource: "canned" | "labels" | "articles", what: string) =>
    (value: T | null) => {
      if (value === null) throw notFound(resource, what);
      return value;
    };
  const cannedOr404 = orNotFound<CannedResponse>("canned", "canned response");
  const labelOr404 = orNotFound<Label>("labels", "label");
  const articleOr404 = orNotFound<Article>("articles", "article");
  const deleted = (resource: "canned" | "labels" | "articles", what: string) => (done: boolean) => {
    if (!done) throw notFound(resource, what);
  };
  const manage = (membership: Membership) => requirePermission(membership, "knowledge.manage");
  return {
    listCannedResponses: (m: Membership, options: { q?: string }) => repo.listCannedResponses(m.workspace.id, options),
    getCannedResponse: async (m: Membership, id: string) => cannedOr404(await repo.findCannedResponse(m.workspace.id, id)),
    createCannedResponse: (m: Membership, draft: CannedResponseDraft) => {
      manage(m);
      return repo.insertCannedResponse(m.workspace.id, newId(), cannedDraft(draft) as CannedResponseDraft);
    },
    updateCannedResponse: async (m: Membership, id: string, draft: Partial<CannedResponseDraft>) => {
      manage(m);
      return cannedOr404(await repo.updateCannedResponse(m.workspace.id, id, cannedDraft(draft)));
    },
    deleteCannedResponse: async (m: Membership, id: string) => {
      manage(m);
      deleted("canned", "canned response")(await repo.deleteCannedResponse(m.workspace.id, id));
    },

    listLabels: (m: Membership) => repo.listLabels(m.workspace.id),
    createLabel: (m: Membership, draft: { name: string; color?: string }) => {
      manage(m);
      return repo.insertLabel(m.workspace.id, newId(), { ...draft, name: normaliseLabelName(draft.name) });
    },
    updateLabel: async (m: Membership, id: string, draft: { name?: string; color?: string }) => {
      manage(m);
      const name = draft.name !== undefined ? { name: normaliseLabelName(draft.name) } : {};
      return labelOr404(await repo.updateLabel(m.workspace.id, id, { ...draft, ...name }));
    },
    deleteLabel: async (m: Membership, id: string) => {
      manage(m);
      deleted("labels", "label")(await repo.deleteLabel(m.workspace.id, id));
    },
    /** Replaces a conversation's labels and broadcasts `conversation.updated`; returns them. */
    setConversationLabels: async (m: Membership, conversationId: string, names: string[]) => {
      requirePermission(m, "conversations.update");
      const stored = await repo.setConversationLabels(m.workspace.id, conversationId, await catalogued(deps, m.workspace.id, names));
      if (stored === null) throw notFound("conversations");
      const summary = await deps.store.conversations.findSummary(m.workspace.id, conversationId);
      if (summary) await deps.events?.publish([{ type: "conversation.updated", workspaceId: m.workspace.id, conversation: summary }]);
      return stored;
    },
    /** Replaces a contact's labels; returns them. */
    setContactLabels: async (m: Membership, contactId: string, names: string[]) => {
      requirePermission(m, "conversations.update");
      const stored = await repo.setContactLabels(m.workspace.id, contactId, await catalogued(deps, m.workspace.id, names));
      if (stored === null) throw notFound("contacts");
      return stored;
    },

    listArticles: (m: Membership, options: { q?: string; language?: string; limit: number }) => repo.listArticles(m.workspace.id, options),
    getArticle: async (m: Membership, id: string) => articleOr404(await repo.findArticle(m.workspace.id, id)),
    createArticle: (m: Membership, draft: ArticleDraft) => {
      manage(m);
      return repo.insertArticle(m.workspace.id, newId(), draft);
    },
    updateArticle: async (m: Membership, id: string, draft: Partial<ArticleDraft>) => {
      manage(m);
      return articleOr404(await repo.updateArticle(m.workspace.id, id, draft));
    },
    deleteArticle: async (m: Membership, id: string) => {
      manage(m);
      deleted("articles", "article")(await repo.deleteArticle(m.workspace.id, id));
    },
  };
}

export type KnowledgeUseCases = ReturnType<typeof knowledgeUseCases>;
