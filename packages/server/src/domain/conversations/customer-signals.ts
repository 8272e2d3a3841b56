import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import type { Store } from "../ports.ts";
import type { ProviderDirectory, ProviderInbox, ProviderRecipient } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";

export interface CustomerSignalDependencies {
  store: Store;
  providers: ProviderDirectory;
  sealer: SecretSealer;
}

async function providerContext(deps: CustomerSignalDependencies, workspaceId: string, conversationId: string) {
  const conversation = await deps.store.conversations.findSummary(workspaceId, conversationId);
  if (!conversation) return null;
  const found = await deps.store.inboxes.findWithConfig(conversation.inboxId);
  if (!found || found.inbox.workspaceId !== workspaceId) return null;
  const inbox: ProviderInbox = openProviderInbox(found.inbox, found.config, deps.sealer);
  const recipient: ProviderRecipient = {
    conversationId,
    contactId: conversation.contactId,
    phone: conversation.contact?.phone ?? null,
    groupJid: conversation.groupJid,
  };
  const latest = await deps.store.messages.latestInbound(workspaceId, conversationId);
  return { provider: deps.providers.forKind(inbox.provider), inbox, recipient, lastInboundProviderMessageId: latest?.providerMessageId ?? null };
}

/**
 * Shows (or clears) an agent's typing to the customer through the conversation's provider
 * (ARCHITECTURE.md, "Typing"). Best effort: throws whatever the provider throws, and the caller
 * logs it. Does nothing for a conversation not in `workspaceId`.
 */
export async function showAgentTyping(
  deps: CustomerSignalDependencies,
  input: { workspaceId: string; conversationId: string; isTyping: boolean; agent: { id: string | null; name: string | null } },
): Promise<void> {
  const context = await providerContext(deps, input.workspaceId, input.conversationId);
  if (!context) return;
  await context.provider.typing(context.inbox, {
    recipient: context.recipient,
    isTyping: input.isTyping,
    lastInboundProviderMessageId: context.lastInboundProviderMessageId,
    agent: input.agent,
  });
}

/**
 * Tells the customer their messages were read (ARCHITECTURE.md, "Flows", read: Cloud API
 * `status: read`, whatsapp-web.js `sendSeen`). Best effort, like showAgentTyping.
 */
export async function tellCustomerRead(deps: CustomerSignalDependencies, input: { workspaceId: string; conversationId: string }): Promise<void> {
  const context = await providerContext(deps, input.workspaceId, input.conversationId);
  if (!context?.lastInboundProviderMessageId) return;
  await context.provider.markRead(context.inbox, { recipient: context.recipient, lastProviderMessageId: context.lastInboundProviderMessageId });
}
