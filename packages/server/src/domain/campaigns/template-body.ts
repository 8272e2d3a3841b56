import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { ProviderError, type ProviderDirectory } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
import type { CampaignMessage } from "./campaign.ts";

/**
 * The approved body (with `{{1}}`…) of a campaign's template, for the text the chat shows;
 * null when the message is not a template, the provider lists none, or Meta cannot be reached
 * now (the send still goes: Meta judges the template, and a refusal fails the recipient with
 * Meta's reason).
 */
export async function approvedTemplateBody(
  deps: { providers: ProviderDirectory; sealer: SecretSealer },
  inbox: { inbox: Inbox; config: Record<string, unknown> },
  message: CampaignMessage,
): Promise<string | null> {
  if (!message.template) return null;
  const provider = deps.providers.forKind(inbox.inbox.provider);
  if (!provider.listTemplates) return null;
  try {
    const templates = await provider.listTemplates(openProviderInbox(inbox.inbox, inbox.config, deps.sealer));
    const found = templates.find((candidate) => candidate.name === message.template?.name && candidate.language === message.template.language);
    return found?.body ?? null;
  } catch (error) {
    if (error instanceof ProviderError) return null;
    throw error;
  }
}
