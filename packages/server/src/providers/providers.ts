import type { ChannelPublisher } from "../broadcasting/broadcaster.ts";
import type { ProviderDirectory } from "../domain/providers/provider.ts";
import type { Store } from "../domain/ports.ts";
import { providerDirectory } from "./directory.ts";
import { createWebWidgetProvider } from "./web-widget/provider.ts";
import { createWhatsAppCloudProvider } from "./whatsapp-cloud/provider.ts";
import { createWhatsappWebProvider } from "./whatsapp-web/provider.ts";
import type { WhatsAppEngine } from "../domain/whatsapp-web/engine.ts";

/** Every provider this process runs, wired to the store and the real-time publisher (main.ts and test apps). */
export function createProviders(dependencies: {
  publisher: ChannelPublisher;
  store: Pick<Store, "messages">;
  /** This node's WhatsApp Web sessions (whatsapp-web/session-runtime.ts); none without it. */
  whatsappSessions?: { engineFor(inboxId: string): WhatsAppEngine | null };
}): ProviderDirectory {
  const { publisher, store } = dependencies;
  return providerDirectory([
    createWebWidgetProvider({ publisher, messages: (workspaceId, id) => store.messages.findById(workspaceId, id) }),
    createWhatsAppCloudProvider(),
    createWhatsappWebProvider(dependencies.whatsappSessions ?? { engineFor: () => null }),
  ]);
}
