import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { ApiError } from "../../../lib/http.ts";
import type { Role, User, WorkspaceMembership } from "../../../lib/types.ts";
import { authApi, type SignupInput } from "../api/auth.api.ts";
import { currentLocale, type Locale, setLocale as applyLocale } from "../../../i18n/index.ts";

const tokenKey = "parley.token";
const workspaceKey = "parley.workspace";

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the session lasts as long as the tab.
  }
}

/**
 * Who is signed in: the bearer token (kept in localStorage so tabs share it), the user, their
 * workspaces and roles, and the workspace being worked in.
 */
export const useSessionStore = defineStore("session", () => {
  const token = ref<string | null>(stored(tokenKey));
  const user = ref<User | null>(null);
  const workspaces = ref<WorkspaceMembership[]>([]);
  const workspaceId = ref<string | null>(stored(workspaceKey));

  const membership = computed(() => workspaces.value.find((workspace) => workspace.id === workspaceId.value) ?? null);
  const role = computed<Role | null>(() => membership.value?.role ?? null);
  /** Viewers read; everyone else may reply and change conversations. */
  const canSend = computed(() => role.value !== null && role.value !== "viewer");
  /** Owners and admins manage inboxes and members. */
  const canManage = computed(() => role.value === "owner" || role.value === "admin");

  function setToken(value: string | null): void {
    token.value = value;
    store(tokenKey, value);
  }

  function selectWorkspace(id: string): void {
    workspaceId.value = id;
    store(workspaceKey, id);
  }

  /** The workspace to open after login: the last one used if still a member, else the first. */
  function preferredWorkspaceId(): string | null {
    const remembered = stored(workspaceKey);
    return workspaces.value.find((workspace) => workspace.id === remembered)?.id ?? workspaces.value[0]?.id ?? null;
  }

  /** The signed-in user, whose language the UI then speaks. */
  function setUser(next: User): void {
    user.value = next;
    if (next.locale !== currentLocale()) applyLocale(next.locale);
  }

  /**
   * Switches the UI to `locale` at once and saves it on the user (signed in), so it follows them to
   * other browsers and the API's error messages speak it too. Rejects when saving fails; the UI
   * keeps the new language anyway (it is remembered in this browser).
   */
  async function setLocale(locale: Locale): Promise<void> {
    applyLocale(locale);
    if (!token.value || !user.value) return;
    const result = await authApi.updateProfile({ locale });
    user.value = result.user;
  }

  async function signup(input: SignupInput): Promise<string> {
    const result = await authApi.signup({ ...input, locale: currentLocale() });
    setToken(result.token);
    setUser(result.user);
    workspaces.value = [{ ...result.workspace, role: "owner" }];
    selectWorkspace(result.workspace.id);
    return result.workspace.id;
  }

  /** Logs in; resolves to the workspace id to open (null when the user belongs to none). */
  async function login(email: string, password: string): Promise<string | null> {
    const result = await authApi.login(email, password);
    setToken(result.token);
    setUser(result.user);
    workspaces.value = result.workspaces;
    return preferredWorkspaceId();
  }

  /** Loads the user behind a stored token once. False when there is no valid session. */
  async function ensureLoaded(): Promise<boolean> {
    if (!token.value) return false;
    if (user.value) return true;
    try {
      const me = await authApi.me();
      setUser(me.user);
      workspaces.value = me.workspaces;
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        clear();
        return false;
      }
      throw error;
    }
  }

  /** Re-reads the user's workspaces (after being added to one, or a role change). */
  async function refreshWorkspaces(): Promise<void> {
    const me = await authApi.me();
    setUser(me.user);
    workspaces.value = me.workspaces;
  }

  function clear(): void {
    setToken(null);
    user.value = null;
    workspaces.value = [];
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } catch {
      // Signing out locally is what matters; the token may already be invalid.
    }
    clear();
  }

  return {
    token,
    user,
    workspaces,
    workspaceId,
    membership,
    role,
    canSend,
    canManage,
    signup,
    login,
    logout,
    ensureLoaded,
    refreshWorkspaces,
    setLocale,
    selectWorkspace,
    preferredWorkspaceId,
    clear,
  };
});
