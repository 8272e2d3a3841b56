import type { InboxProvider } from "../domain/inboxes/inbox.ts";
import { DomainError } from "../domain/errors.ts";
import type { Provider, ProviderDirectory } from "../domain/providers/provider.ts";

/** The providers this process runs, by inbox kind (main.ts builds it once). */
export function providerDirectory(providers: Provider[]): ProviderDirectory {
  const byKind = new Map<InboxProvider, Provider>(providers.map((provider) => [provider.kind, provider]));
  return {
    forKind(kind) {
      const provider = byKind.get(kind);
      if (!provider) throw new DomainError("inboxes.provider_unavailable", `The ${kind} provider is not available.`);
      return provider;
    },
  };
}
