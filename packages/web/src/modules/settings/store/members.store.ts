import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { Member, Role } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { membersApi } from "../api/settings.api.ts";
import { t } from "../../../i18n/index.ts";

/** The workspace's members (for assignment and the members settings). */
export const useMembersStore = defineStore("members", () => {
  let scope: WorkspaceScope | null = null;
  /** The open workspace's id (throws outside one: these actions run from its settings). */
  function workspace(): string {
    if (!scope) throw new Error(t("errors.noWorkspace"));
    return scope.workspaceId;
  }
  const members = ref<Member[]>([]);
  const loaded = ref(false);
  const byId = computed(() => new Map(members.value.map((member) => [member.user_id, member])));

  async function refresh(): Promise<void> {
    const workspaceId = scope?.workspaceId;
    if (!workspaceId) return;
    const { data } = await membersApi.list(workspaceId);
    if (workspaceId !== scope?.workspaceId) return;
    members.value = data;
    loaded.value = true;
  }

  async function add(input: { email: string; role: Role; name?: string; password?: string }): Promise<Member> {
    const member = await membersApi.add(workspace(), input);
    members.value = [...members.value.filter((existing) => existing.user_id !== member.user_id), member];
    return member;
  }

  async function changeRole(userId: string, role: Role): Promise<void> {
    const member = await membersApi.changeRole(workspace(), userId, role);
    members.value = members.value.map((existing) => (existing.user_id === userId ? member : existing));
  }

  async function remove(userId: string): Promise<void> {
    await membersApi.remove(workspace(), userId);
    members.value = members.value.filter((existing) => existing.user_id !== userId);
  }

  /** Forgets what it holds and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    members.value = [];
    loaded.value = false;
  }

  return { members, loaded, byId, refresh, add, changeRole, remove, reset };
});
