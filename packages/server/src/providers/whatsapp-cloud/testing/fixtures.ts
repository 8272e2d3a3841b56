/**
 * Inboxes, recipients and outbound messages for tests of the Cloud API provider against the fake
 * Graph API.
 */
import type { OutboundContent, OutboundMedia, OutboundMessage, ProviderInbox, ProviderRecipient } from "../../../domain/providers/provider.ts";
import type { FakeGraphApi } from "./fake-graph-api.ts";

/** A `whatsapp_cloud` inbox pointed at `fake`; `config` overrides fields (undefined removes one). */
export function cloudInbox(fake: FakeGraphApi, config: Record<string, unknown> = {}, id = "inbox-1"): ProviderInbox {
  const merged: Record<string, unknown> = {
    phone_number_id: fake.phoneNumberId,
    waba_id: fake.wabaId,
    access_token: fake.accessToken,
    app_secret: "app-secret",
    verify_token: "verify-token",
    graph_base_url: fake.url,
    ...config,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { id, workspaceId: "workspace-1", provider: "whatsapp_cloud", config: merged };
}

/** A WhatsApp contact with an E.164 phone. */
export function recipient(phone: string | null = "+5511987654321"): ProviderRecipient {
  return { conversationId: "conversation-1", contactId: "contact-1", phone, groupJid: null };
}

/** Stored media whose `read()` counts its calls. */
export function outboundMedia(bytes: Uint8Array, mime: string, filename: string | null = null): OutboundMedia & { reads: () => number } {
  let reads = 0;
  return {
    id: "media-1",
    mime,
    sizeBytes: bytes.byteLength,
    filename,
    read: async () => {
      reads++;
      return bytes;
    },
    reads: () => reads,
  };
}

let sequence = 0;

/** An outbound message to `to` carrying `content`. */
export function outbound(content: OutboundContent, options: { to?: ProviderRecipient; replyTo?: string | null } = {}): OutboundMessage {
  sequence++;
  return { messageId: `message-${sequence}`, recipient: options.to ?? recipient(), content, replyToProviderMessageId: options.replyTo ?? null };
}
