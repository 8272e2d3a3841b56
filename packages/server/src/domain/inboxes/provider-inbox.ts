import type { ProviderInbox } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
import type { Inbox } from "./inbox.ts";

/**
 * An inbox as its provider sees it: the stored config with every sealed secret (the `sealed`
 * object, see inboxes.usecases.ts) opened and merged in, e.g. `{phone_number_id, access_token}`.
 * Throws when a secret cannot be opened (wrong PARLEY_SECRET_KEY).
 */
export function openProviderInbox(inbox: Pick<Inbox, "id" | "workspaceId" | "provider">, config: Record<string, unknown>, sealer: SecretSealer): ProviderInbox {
  const { sealed, ...plain } = config;
  const secrets = Object.fromEntries(Object.entries((sealed ?? {}) as Record<string, string>).map(([name, value]) => [name, sealer.open(value)]));
  return { id: inbox.id, workspaceId: inbox.workspaceId, provider: inbox.provider, config: { ...plain, ...secrets } };
}
