import { createRouter, createWebHistory, type RouteLocationNormalized } from "vue-router";
import { useSessionStore } from "../modules/auth/store/session.store.ts";

/**
 * Routes: /login, /signup, and per workspace /w/:workspaceId (the inbox),
 * /w/:workspaceId/c/:conversationId (a conversation open), /w/:workspaceId/contacts, /w/:workspaceId/settings/…,
 * /w/:workspaceId/campaigns[/new | /:campaignId[/edit]]
 */
export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory("/"),
    routes: [
      { path: "/login", name: "login", component: () => import("./pages/LoginPage.vue"), meta: { public: true } },
      { path: "/signup", name: "signup", component: () => import("./pages/SignupPage.vue"), meta: { public: true } },
      {
        path: "/w/:workspaceId",
        component: () => import("./pages/WorkspaceLayout.vue"),
        children: [
          { path: "", name: "inbox", component: () => import("./pages/InboxPage.vue") },
          { path: "c/:conversationId", name: "conversation", component: () => import("./pages/InboxPage.vue") },
          { path: "contacts", name: "contacts", component: () => import("./pages/ContactsPage.vue") },
          { path: "settings", redirect: (to) => ({ name: "settings-inboxes", params: to.params }) },
          { path: "settings/inboxes", name: "settings-inboxes", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/members", name: "settings-members", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/workspace", name: "settings-workspace", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/export", name: "settings-export", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/canned-responses", name: "settings-canned-responses", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/articles", name: "settings-articles", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/labels", name: "settings-labels", component: () => import("./pages/SettingsPage.vue") },
          { path: "settings/ai", name: "settings-ai", component: () => import("./pages/SettingsPage.vue") },
          { path: "campaigns", name: "campaigns", component: () => import("./pages/CampaignsPage.vue") },
          { path: "campaigns/new", name: "campaign-new", component: () => import("./pages/CampaignsPage.vue") },
          { path: "campaigns/:campaignId", name: "campaign", component: () => import("./pages/CampaignsPage.vue") },
          { path: "campaigns/:campaignId/edit", name: "campaign-edit", component: () => import("./pages/CampaignsPage.vue") },
        ],
      },
      { path: "/sandbox/:inboxId", name: "sandbox", component: () => import("./pages/SandboxPage.vue") },
      { path: "/", name: "home", component: { render: () => null } },
      { path: "/:pathMatch(.*)*", redirect: "/" },
    ],
  });

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const session = useSessionStore();
    if (to.meta["public"]) {
      // Already signed in: straight to the inbox.
      if (session.token && (await session.ensureLoaded().catch(() => false))) {
        const workspaceId = session.preferredWorkspaceId();
        if (workspaceId) return { name: "inbox", params: { workspaceId } };
      }
      return true;
    }
    const signedIn = await session.ensureLoaded().catch(() => false);
    if (!signedIn) return { name: "login", query: to.fullPath !== "/" ? { redirect: to.fullPath } : {} };
    if (to.name === "home") {
      const workspaceId = session.preferredWorkspaceId();
      return workspaceId ? { name: "inbox", params: { workspaceId } } : { name: "login" };
    }
    const workspaceId = String(to.params["workspaceId"] ?? "");
    if (workspaceId && !session.workspaces.some((workspace) => workspace.id === workspaceId)) {
      const fallback = session.preferredWorkspaceId();
      return fallback ? { name: "inbox", params: { workspaceId: fallback } } : { name: "login" };
    }
    return true;
  });

  return router;
}
