import { defineStore } from "pinia";
import { shallowReactive } from "vue";
import { errorText } from "../../../lib/http.ts";
import type { GroupParticipant } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { participantsApi } from "../api/participants.api.ts";

/** One group's member list as the panel shows it. */
export interface ParticipantList {
  items: readonly GroupParticipant[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

/** How long (ms) changes to a shown group are gathered into one reload: a busy group's messages each announce the conversation. */
export const participantsRefreshDelayMs = 1000;

/**
 * The members of the group conversations whose info panel is open. A shown group is reloaded
 * when the app layer says it changed (`changed`, on `conversation.updated`: members joining,
 * leaving or made admin move the conversation) or after a reconnect (`refreshShown`).
 */
export const useParticipantsStore = defineStore("participants", () => {
  let scope: WorkspaceScope | null = null;
  const lists = shallowReactive(new Map<string, ParticipantList>());
  /** Conversation id → how many panels show it (a narrow and a wide layout may both mount one). */
  const shown = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const reloadAfter = new Set<string>();

  function list(conversationId: string): ParticipantList {
    let entry = lists.get(conversationId);
    if (!entry) {
      entry = shallowReactive<ParticipantList>({ items: [], loading: false, loaded: false, error: null });
      lists.set(conversationId, entry);
    }
    return entry;
  }

  /**
   * Loads the members (again when `force`). A load already running is not doubled; a forced one
   * asked for meanwhile runs after it, since the group may have changed after its answer left.
   */
  async function load(conversationId: string, force = false): Promise<void> {
    const workspaceId = scope?.workspaceId;
    const entry = list(conversationId);
    if (!workspaceId || (entry.loaded && !force)) return;
    if (entry.loading) {
      if (force) reloadAfter.add(conversationId);
      return;
    }
    entry.loading = true;
    entry.error = null;
    try {
      const { data } = await participantsApi.list(workspaceId, conversationId);
      if (workspaceId !== scope?.workspaceId) return;
      entry.items = data;
      entry.loaded = true;
    } catch (caught) {
      entry.error = errorText(caught);
    } finally {
      entry.loading = false;
    }
    if (reloadAfter.delete(conversationId) && shown.has(conversationId)) await load(conversationId, true);
  }

  /** A panel shows this group: load its members and keep them current until `hide`. */
  function show(conversationId: string): void {
    shown.set(conversationId, (shown.get(conversationId) ?? 0) + 1);
    void load(conversationId);
  }

  function hide(conversationId: string): void {
    const count = (shown.get(conversationId) ?? 0) - 1;
    if (count > 0) return void shown.set(conversationId, count);
    shown.delete(conversationId);
    clearTimeout(timers.get(conversationId));
    timers.delete(conversationId);
    // Not kept: the next panel opening on it loads what is true then.
    lists.delete(conversationId);
  }

  /** The group may have changed: reload it soon if a panel shows it (several changes, one request). */
  function changed(conversationId: string): void {
    if (!shown.has(conversationId) || timers.has(conversationId)) return;
    timers.set(
      conversationId,
      setTimeout(() => {
        timers.delete(conversationId);
        if (shown.has(conversationId)) void load(conversationId, true);
      }, participantsRefreshDelayMs),
    );
  }

  /** After a reconnect: events may have been missed, so reload every shown group. */
  async function refreshShown(): Promise<void> {
    await Promise.all([...shown.keys()].map((conversationId) => load(conversationId, true)));
  }

  /** Forgets everything and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    reloadAfter.clear();
    shown.clear();
    lists.clear();
  }

  return { list, load, show, hide, changed, refreshShown, reset };
});
