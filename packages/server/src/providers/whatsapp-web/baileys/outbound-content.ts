/**
 * Parley's `OutboundContent` as Baileys' `AnyMessageContent` for `sendMessage`: text, media with
 * its caption, file name and MIME type (a voice note is audio with `ptt`), and reactions
 * (`react` with the key of the message reacted to).
 */
import type { AnyMessageContent, WAMessageKey } from "baileys";
import type { OutboundContent } from "../../../domain/providers/provider.ts";

/**
 * The Baileys content of `content`. `keyOf` gives the key of a message in the chat by id (a
 * reaction needs the target's `fromMe` and, in groups, its `participant`). WhatsApp Web has no
 * approved templates: a template is sent as its name and variables in text, as the sandbox does.
 */
export async function toBaileysContent(content: OutboundContent, keyOf: (messageId: string) => WAMessageKey): Promise<AnyMessageContent> {
  switch (content.kind) {
    case "text":
      return { text: content.body };
    case "template":
      return { text: [content.template.name, ...content.template.variables].join(" ") };
    case "reaction":
      return { react: { text: content.emoji, key: keyOf(content.targetProviderMessageId) } };
    case "media": {
      const bytes = Buffer.from(await content.media.read());
      const mimetype = content.media.mime;
      const caption = content.caption ?? undefined;
      switch (content.type) {
        case "image":
          return { image: bytes, mimetype, caption };
        case "video":
          return { video: bytes, mimetype, caption };
        case "audio":
        case "voice":
          return { audio: bytes, mimetype, ptt: content.type === "voice" };
        case "document":
          return { document: bytes, mimetype, fileName: content.media.filename ?? "file", caption };
        case "sticker":
          return { sticker: bytes, mimetype };
      }
    }
  }
}
