import { notFound } from "../errors.ts";
import type { Repositories, Store } from "../ports.ts";
import { requirePermission } from "./tenancy.usecases.ts";
import type { Membership } from "./tenancy.ts";
import { readWorkspaceSettings, storedWorkspaceSettings, type WorkspaceSettings, type WorkspaceSettingsChange } from "./workspace-settings.ts";

/** The workspace's settings, defaults filled in. Throws `workspaces.not_found` for a workspace that is gone. */
export async function loadWorkspaceSettings(repositories: Pick<Repositories, "workspaces">, workspaceId: string): Promise<WorkspaceSettings> {
  const stored = await repositories.workspaces.findSettings(workspaceId);
  if (!stored) throw notFound("workspaces");
  return readWorkspaceSettings(stored);
}

/** Read by every member. */
export async function getWorkspaceSettings(deps: { store: Store }, membership: Membership): Promise<WorkspaceSettings> {
  return loadWorkspaceSettings(deps.store, membership.workspace.id);
}

/**
 * Changes some settings and returns them all. Owners and admins only (`auth.forbidden`);
 * `workspaces.invalid_settings` (422) for an unknown country or time zone, or a keyword in both
 * lists; nothing is changed then.
 */
export async function updateWorkspaceSettings(deps: { store: Store }, membership: Membership, change: WorkspaceSettingsChange): Promise<WorkspaceSettings> {
  requirePermission(membership, "workspace.manage");
  const workspaceId = membership.workspace.id;
  return deps.store.transaction(async (repositories) => {
    // Locked, so two admins changing both keyword lists at once cannot together make them clash.
    if (!(await repositories.workspaces.lockForUpdate(workspaceId))) throw notFound("workspaces");
    const stored = storedWorkspaceSettings(await loadWorkspaceSettings(repositories, workspaceId), change);
    const merged = await repositories.workspaces.mergeSettings(workspaceId, stored);
    if (!merged) throw notFound("workspaces");
    return readWorkspaceSettings(merged);
  });
}

/** The settings use cases, bound to their dependencies for the routes. */
export function workspaceSettingsUseCases(deps: { store: Store }) {
  return {
    get: (membership: Membership) => getWorkspaceSettings(deps, membership),
    update: (membership: Membership, change: WorkspaceSettingsChange) => updateWorkspaceSettings(deps, membership, change),
  };
}

export type WorkspaceSettingsUseCases = ReturnType<typeof workspaceSettingsUseCases>;
