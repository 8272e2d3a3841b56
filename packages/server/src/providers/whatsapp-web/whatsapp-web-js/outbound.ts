/**
 * Parley's outbound content sent through whatsapp-web.js (`client.sendMessage(chatId, content,
 * options)`, `client.sendReaction`, `MessageMedia` with base64 data; index.d.ts v1.34).
 */
import wwebjs from "whatsapp-web.js";
import type { OutboundContent } from "../../../domain/providers/provider.ts";
import type { WhatsappWebJsClient, WhatsappWebJsMessage } from "./client.ts";

/**
 * Sends `content` to `chatId` (the library's form, `@c.us`), quoting `quotedMessageId` (a
 * serialized id) when given. Resolves with the library's message, or null for a reaction (the
 * library returns nothing for one; it echoes back through `message_reaction`). Errors of the
 * library (not ready, page gone) propagate.
 */
export async function sendThroughClient(
  client: WhatsappWebJsClient,
  chatId: string,
  content: OutboundContent,
  quotedMessageId: string | null,
  serializedIdOf: (id: string) => string,
): Promise<WhatsappWebJsMessage | null> {
  const quote = quotedMessageId ? { quotedMessageId } : {};
  switch (content.kind) {
    case "reaction":
      await client.sendReaction(serializedIdOf(content.targetProviderMessageId), content.emoji);
      return null;
    case "media": {
      const bytes = await content.media.read();
      const media = new wwebjs.MessageMedia(content.media.mime, Buffer.from(bytes).toString("base64"), content.media.filename);
      // Without these options WhatsApp Web picks the kind from the MIME type (an ogg would go as audio, a webp as an image).
      return client.sendMessage(chatId, media, {
        ...quote,
        ...(content.caption ? { caption: content.caption } : {}),
        sendAudioAsVoice: content.type === "voice",
        sendMediaAsSticker: content.type === "sticker",
        sendMediaAsDocument: content.type === "document",
      });
    }
    case "text":
      return client.sendMessage(chatId, content.body, quote);
    case "template":
      // Templates are a Cloud API feature: WhatsApp Web sends their text.
      return client.sendMessage(chatId, [content.template.name, ...content.template.variables].join(" "), quote);
  }
}
