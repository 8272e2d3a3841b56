import type { ChannelPublisher } from "../broadcasting/broadcaster.ts";
import type { ProviderDirectory } from "../domain/providers/provider.ts";
import type { Store } from "../domain/ports.ts";
import { providerDirectory } from "./directory.ts";
import { createWebWidgetProvider } from "./web-widget/provider.ts";
import { createWhatsAppCloudProvider } from "./whatsapp-cloud/provider.ts";
import { createWhatsappWebProvider, type WhatsappWebSessions } from "./whatsapp-web/provider.ts";
import { DomainError } from "../domain/errors.ts";
import { ProviderError } from "../domain/providers/provider.ts";

/** A process that runs no WhatsApp Web sessions (tests of other parts). */
const noWhatsappSessions: WhatsappWebSessions = {
  engineFor: () => null,
  send: async () => {
    throw new DomainError("inboxes.not_connected", "This server runs no WhatsApp Web sessions.");
  },
  fetchMedia: async () => {
    throw new ProviderError({ retry: "never", reason: "This server runs no WhatsApp Web sessions." });
  },
  forward: async () => {
    throw new ProviderError({ retry: "never", reason: "This server runs no WhatsApp Web sessions." });
  },
};

/** Every provider this process runs, wired to the store and the real-time publisher (main.ts and test apps). */
export function createProviders(dependencies: {
  publisher: ChannelPublisher;
  store: Pick<Store, "messages">;
  /** This node's WhatsApp Web sessions (whatsapp-web/session-runtime.ts); none without it. */
  whatsappSessions?: WhatsappWebSessions;
  /** Cloud API sends per second per phone number (WHATSAPP_CLOUD_SENDS_PER_SECOND); default 80. */
  cloudSendsPerSecond?: number;
  /** Where that count is kept, shared with the campaign thread (shared-send-rates.ts); default this thread's memory. */
  cloudSendRates?: SharedArrayBuffer;
}): ProviderDirectory {
  const { publisher, store } = dependencies;
  return providerDirectory([
    createWebWidgetProvider({ publisher, messages: (workspaceId, id) => store.messages.findById(workspaceId, id) }),
    createWhatsAppCloudProvider({
      ...(dependencies.cloudSendsPerSecond === undefined ? {} : { rateLimitPerSecond: dependencies.cloudSendsPerSecond }),
      ...(dependencies.cloudSendRates === undefined ? {} : { sharedRateMemory: dependencies.cloudSendRates }),
    }),
    createWhatsappWebProvider(dependencies.whatsappSessions ?? noWhatsappSessions),
  ]);
}
