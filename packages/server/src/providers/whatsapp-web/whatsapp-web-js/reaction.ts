/**
 * whatsapp-web.js reactions (`message_reaction`, `Reaction` in index.d.ts: the reaction's own
 * `id`, the reacted-to `msgId`, the emoji in `reaction`, empty when it was removed) as `reaction`
 * engine messages whose `quotedId` is the message reacted to.
 */
import type { EngineMessage } from "../../../domain/whatsapp-web/engine.ts";
import type { WhatsappWebJsEvents } from "./client.ts";
import { parleyJidOf } from "./message.ts";

/** The engine message of `reaction`, seen by the account `me` (a Parley JID); null outside person and group chats. */
export function reactionMessageOf(reaction: WhatsappWebJsEvents["message_reaction"][0], me: string): EngineMessage | null {
  const chat = parleyJidOf(reaction.msgId.remote);
  const sender = reaction.id.fromMe ? me : parleyJidOf(reaction.senderId);
  if (!chat || !sender) return null;
  return {
    id: reaction.id.id,
    chat,
    sender,
    senderName: null,
    fromMe: reaction.id.fromMe,
    // Seconds in the typings' example; WhatsApp Web's reaction models also carry milliseconds.
    sentAt: new Date(reaction.timestamp > 1e12 ? reaction.timestamp : reaction.timestamp * 1000),
    type: "reaction",
    // An empty emoji is the reaction taken back.
    body: reaction.reaction || null,
    media: null,
    location: null,
    contacts: null,
    quotedId: reaction.msgId.id,
  };
}
