/**
 * WhatsApp Web inboxes as a provider: sends, read receipts and typing go through the inbox's
 * session on this node (whatsapp-web/session-runtime.ts), whichever engine runs it; read
 * receipts and typing asked on another node are forwarded to the session's queue. A send whose
 * session is not here or not ready refuses with `retry: "later"` (the send job routes sends to
 * the session's node before calling this, see deliver-message.ts).
 */
import { maxBodyLength } from "../../domain/messages/message.ts";
import {
  type FetchedMedia,
  type OutboundContent,
  ProviderError,
  type Provider,
  type ProviderCapabilities,
  type ProviderRecipient,
} from "../../domain/providers/provider.ts";
import type { SessionTask } from "../../domain/jobs.ts";
import type { WhatsAppEngine } from "../../domain/whatsapp-web/engine.ts";
import { personJidOf } from "../../domain/whatsapp-web/jid.ts";

const MB = 1024 * 1024;

/** What WhatsApp itself accepts from a linked device (../shared/WHATSAPP.md): 16 MB media, 100 MB documents. */
const capabilities: ProviderCapabilities = {
  maxBodyLength,
  media: {
    image: { maxBytes: 16 * MB, mimeTypes: ["image/jpeg", "image/png", "image/webp"] },
    video: { maxBytes: 16 * MB, mimeTypes: ["video/mp4", "video/3gpp"] },
    audio: { maxBytes: 16 * MB, mimeTypes: [] },
    voice: { maxBytes: 16 * MB, mimeTypes: ["audio/ogg"] },
    document: { maxBytes: 100 * MB, mimeTypes: [] },
    sticker: { maxBytes: 500 * 1024, mimeTypes: ["image/webp"] },
  },
  templates: false,
  reactions: true,
  customerServiceWindowMs: null,
};

/** The chat a recipient is: its group, or the contact's number as a person JID. */
function chatOf(recipient: ProviderRecipient): string {
  if (recipient.groupJid) return recipient.groupJid;
  if (!recipient.phone) throw new ProviderError({ retry: "never", reason: "This contact has no WhatsApp number." });
  return personJidOf(recipient.phone);
}

/** This node's WhatsApp Web sessions, as the provider uses them (whatsapp-web/session-runtime.ts). */
export interface WhatsappWebSessions {
  /** The engine of a session that runs here, or null. */
  engineFor(inboxId: string): WhatsAppEngine | null;
  /** Sends through the session here (remembering the id, see the runtime); throws when it runs elsewhere. */
  send(inboxId: string, chat: string, content: OutboundContent, options: { quotedId?: string | null }): Promise<{ id: string; at: Date }>;
  /** A heard message's media (by message id); throws a ProviderError when it cannot be had. */
  fetchMedia(inboxId: string, messageId: string): Promise<FetchedMedia>;
  /** Hands a read receipt or typing state to the node that runs the session (its `whatsapp.session` queue). */
  forward(inboxId: string, task: Extract<SessionTask, { kind: "mark_read" | "typing" }>): Promise<void>;
}

/** The WhatsApp Web provider over this node's sessions. */
export function createWhatsappWebProvider(sessions: WhatsappWebSessions): Provider {
  const engineOf = (inboxId: string) => {
    const engine = sessions.engineFor(inboxId);
    if (!engine) throw new ProviderError({ retry: "later", reason: "The WhatsApp session of this inbox is not connected here." });
    return engine;
  };
  return {
    kind: "whatsapp_web",
    capabilities: () => capabilities,
    async send(inbox, outbound) {
      const chat = chatOf(outbound.recipient);
      try {
        engineOf(inbox.id);
        const sent = await sessions.send(inbox.id, chat, outbound.content, { quotedId: outbound.replyToProviderMessageId });
        return { providerMessageId: sent.id, status: "sent" };
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        throw new ProviderError({ retry: "later", reason: `WhatsApp did not take the message: ${error instanceof Error ? error.message : String(error)}` });
      }
    },
    fetchMedia: (inbox, providerMediaId) => sessions.fetchMedia(inbox.id, providerMediaId),
    // Read receipts and typing need the session: on another node they go to its queue.
    async markRead(inbox, { recipient, lastProviderMessageId }) {
      if (!lastProviderMessageId) return;
      const chat = chatOf(recipient);
      const engine = sessions.engineFor(inbox.id);
      if (engine) await engine.markRead(chat, [lastProviderMessageId]);
      else await sessions.forward(inbox.id, { kind: "mark_read", chat, messageId: lastProviderMessageId });
    },
    async typing(inbox, { recipient, isTyping }) {
      const chat = chatOf(recipient);
      const engine = sessions.engineFor(inbox.id);
      if (engine) await engine.setTyping(chat, isTyping);
      else await sessions.forward(inbox.id, { kind: "typing", chat, isTyping });
    },
  };
}
