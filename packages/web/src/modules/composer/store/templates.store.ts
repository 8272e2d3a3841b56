import { defineStore } from "pinia";
import { shallowReactive } from "vue";
import { errorText } from "../../../lib/http.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { templatesApi, type WhatsAppTemplate } from "../api/templates.api.ts";

export interface TemplateList {
  items: readonly WhatsAppTemplate[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

/** The approved templates per inbox, loaded once when a closed window first needs them. */
export const useTemplatesStore = defineStore("templates", () => {
  let scope: WorkspaceScope | null = null;
  const lists = shallowReactive(new Map<string, TemplateList>());

  function list(inboxId: string): TemplateList {
    let entry = lists.get(inboxId);
    if (!entry) {
      entry = shallowReactive<TemplateList>({ items: [], loading: false, loaded: false, error: null });
      lists.set(inboxId, entry);
    }
    return entry;
  }

  /** Loads the inbox's templates (again with `force`); only approved ones are kept, since only those can be sent. */
  async function load(inboxId: string, force = false): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const entry = list(inboxId);
    if (!workspaceId || entry.loading || (entry.loaded && !force)) return;
    entry.loading = true;
    entry.error = null;
    try {
      const { data } = await templatesApi.list(workspaceId, inboxId);
      entry.items = data.filter((template) => template.status.toUpperCase() === "APPROVED");
      entry.loaded = true;
    } catch (caught) {
      entry.error = errorText(caught);
    } finally {
      entry.loading = false;
    }
  }

  /** Forgets the loaded lists and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    lists.clear();
  }

  return { list, load, reset };
});
