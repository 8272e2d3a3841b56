import type { EventPublisher } from "../events.ts";
import type { JobPayloads } from "../jobs.ts";
import type { Store } from "../ports.ts";
import { enrichText } from "./enrich.ts";
import type { Enrichment } from "./enrichment.ts";
import { combineIntent, type WorkspaceIntentModels } from "./intent-classifier.ts";

export interface EnrichmentDependencies {
  store: Store;
  events: EventPublisher;
  /** The workspaces' trained intent classifiers; absent, the keyword rules alone decide. */
  intentModels?: Pick<WorkspaceIntentModels, "forWorkspace">;
}

/** Messages one `messages.reenrich` job enriches before it schedules the next page. */
export const reenrichPageSize = 500;

/**
 * The `messages.enrich` job: enriches a workspace's customer messages among `messageIds` (others,
 * agents' messages and messages without text are skipped), stores the results (agents'
 * corrections stay over them) and broadcasts `message.enriched` for each. Messages of one
 * conversation are taken oldest first, so a short one inherits the language of the one before it.
 * The intent is the keyword rules' unless the workspace's classifier (trained on its agents'
 * corrections) is sure of another. Returns how many were enriched.
 */
export async function enrichMessages(deps: EnrichmentDependencies, { workspaceId, messageIds }: JobPayloads["messages.enrich"]): Promise<number> {
  const inputs = await deps.store.enrichment.inputs(workspaceId, messageIds);
  const model = inputs.length > 0 ? ((await deps.intentModels?.forWorkspace(workspaceId)) ?? null) : null;
  const lastLanguage = new Map<string, string>();
  const computed: Array<{ id: string; enrichment: Enrichment }> = [];
  for (const input of inputs) {
    const enrichment = enrichText(input.body, {
      ...(input.workspaceLanguages ? { languages: input.workspaceLanguages } : {}),
      lastLanguage: lastLanguage.get(input.conversationId) ?? input.lastLanguage,
      waitingSeconds: Math.max(0, (input.at.getTime() - input.waitingSince.getTime()) / 1000),
    });
    if (model) enrichment.intent = combineIntent(enrichment.intent, await model.classify(input.body, enrichment.language));
    lastLanguage.set(input.conversationId, enrichment.language);
    computed.push({ id: input.id, enrichment });
  }
  const saved = await deps.store.enrichment.save(workspaceId, computed);
  await deps.events.publish(
    saved.map(({ id, conversationId, enrichment }) => ({ type: "message.enriched", workspaceId, messageId: id, conversationId, enrichment })),
  );
  return saved.length;
}

/**
 * The `messages.reenrich` job: enriches one page of a workspace's customer messages after
 * `afterId` again (after the rules or the workspace's languages changed) and schedules the next
 * page while there may be more. Returns how many were enriched.
 */
export async function reenrichWorkspace(deps: EnrichmentDependencies, { workspaceId, afterId }: JobPayloads["messages.reenrich"]): Promise<number> {
  const ids = await deps.store.enrichment.inboundIdsAfter(workspaceId, afterId ?? null, reenrichPageSize);
  const enriched = await enrichMessages(deps, { workspaceId, messageIds: ids });
  const last = ids.at(-1);
  if (ids.length === reenrichPageSize && last) {
    await deps.store.jobs.schedule("messages.reenrich", { workspaceId, afterId: last }, { singletonKey: `${workspaceId}:${last}` });
  }
  return enriched;
}
