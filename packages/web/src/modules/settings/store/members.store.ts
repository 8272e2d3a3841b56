import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { Member, Role } from "../../../lib/types.ts";
import { useSessionStore } from "../../auth/store/session.store.ts";
import { membersApi } from "../api/settings.api.ts";

/** The workspace's members (for assignment and the members settings). */
export const useMembersStore = defineStore("members", () => {
  const session = useSessionStore();
  const members = ref<Member[]>([]);
  const loaded = ref(false);
  const byId = computed(() => new Map(members.value.map((member) => [member.user_id, member])));

  async function refresh(): Promise<void> {
    const workspaceId = session.workspaceId;
    if (!workspaceId) return;
    const { data } = await membersApi.list(workspaceId);
    if (workspaceId !== session.workspaceId) return;
    members.value = data;
    loaded.value = true;
  }

  async function add(input: { email: string; role: Role; name?: string; password?: string }): Promise<Member> {
    const member = await membersApi.add(session.workspaceId!, input);
    members.value = [...members.value.filter((existing) => existing.user_id !== member.user_id), member];
    return member;
  }

  async function changeRole(userId: string, role: Role): Promise<void> {
    const member = await membersApi.changeRole(session.workspaceId!, userId, role);
    members.value = members.value.map((existing) => (existing.user_id === userId ? member : existing));
    if (userId === session.user?.id) await session.refreshWorkspaces();
  }

  async function remove(userId: string): Promise<void> {
    await membersApi.remove(session.workspaceId!, userId);
    members.value = members.value.filter((existing) => existing.user_id !== userId);
  }

  function reset(): void {
    members.value = [];
    loaded.value = false;
  }

  return { members, loaded, byId, refresh, add, changeRole, remove, reset };
});
