import type { WorkspaceScope } from "../lib/workspace-scope.ts";
import { useCampaignRecipientsStore } from "../modules/campaigns/store/campaign-recipients.store.ts";
import { useCampaignsStore } from "../modules/campaigns/store/campaigns.store.ts";
import { useDraftsStore } from "../modules/composer/store/drafts.store.ts";
import { useTemplatesStore } from "../modules/composer/store/templates.store.ts";
import { useContactsStore } from "../modules/contacts/store/contacts.store.ts";
import { useParticipantsStore } from "../modules/contacts/store/participants.store.ts";
import { useConversationsStore } from "../modules/conversations/store/conversations.store.ts";
import { useAiSettingsStore } from "../modules/intelligence/store/ai-settings.store.ts";
import { useInsightsStore } from "../modules/intelligence/store/insights.store.ts";
import { useKnowledgeStore } from "../modules/intelligence/store/knowledge.store.ts";
import { useMessagesStore } from "../modules/messages/store/messages.store.ts";
import { useInboxesStore } from "../modules/settings/store/inboxes.store.ts";
import { useMembersStore } from "../modules/settings/store/members.store.ts";
import { useTypingStore } from "../modules/typing/store/typing.store.ts";

/**
 * The two places where a change in one feature store must reach another, wired here so that no
 * store knows another: the inboxes' unread totals follow the conversation list (a read, a new
 * conversation, a count an event changed), and the list's preview and customer-service window
 * follow this tab's own sends. Run once per Pinia, after it is active (main.ts, and tests that
 * exercise both sides).
 */
export function linkStores(): void {
  const conversations = useConversationsStore();
  const messages = useMessagesStore();
  const inboxes = useInboxesStore();
  conversations.onUnread({
    changed: (inboxId, delta) => inboxes.adjustUnread(inboxId, delta),
    // An unknown conversation with unread messages: recount shortly (a burst of them becomes one request).
    unknown: () => inboxes.scheduleRefresh(500),
  });
  messages.onOutgoing({
    message: (message) => conversations.applyMessage(message),
    windowClosed: (conversationId) => conversations.closeWindow(conversationId),
  });
}

/** Empties every workspace store and points it at `scope` (a workspace opened or switched; null when none is). */
export function resetWorkspaceStores(scope: WorkspaceScope | null): void {
  useConversationsStore().reset(scope);
  useMessagesStore().reset(scope);
  useInboxesStore().reset(scope);
  useMembersStore().reset(scope);
  useDraftsStore().reset(scope);
  useTemplatesStore().reset(scope);
  useParticipantsStore().reset(scope);
  useContactsStore().reset(scope);
  useKnowledgeStore().reset(scope);
  useInsightsStore().reset(scope);
  useAiSettingsStore().reset(scope);
  useTypingStore().reset();
  useCampaignsStore().reset(scope);
  useCampaignRecipientsStore().reset(scope);
}
