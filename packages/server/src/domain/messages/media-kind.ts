import type { MediaMessageType } from "../providers/provider.ts";

/**
 * The message type an attachment is sent as, from its MIME type: images, videos and audio by
 * their top-level type (Ogg/Opus audio is a voice note, as WhatsApp records them), WebP images
 * as images (stickers are only received), everything else as a document.
 */
export function mediaMessageTypeOf(mime: string): MediaMessageType {
  const essence = mime.split(";")[0]!.trim().toLowerCase();
  if (essence.startsWith("image/")) return "image";
  if (essence.startsWith("video/")) return "video";
  if (essence === "audio/ogg" || essence === "audio/opus") return "voice";
  if (essence.startsWith("audio/")) return "audio";
  return "document";
}
