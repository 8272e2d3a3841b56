import { serviceWindowMsOf } from "../../domain/conversations/service-window.ts";
/**
 * What a WhatsApp Cloud API number can carry. Source: Meta's "Supported media types"
 * (developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/
 * media#supported-media-types), "Text messages" (body ≤ 4,096 characters), "Image/Video/Document
 * messages" (caption ≤ 1,024 characters), "Audio messages" (voice messages are ogg/opus) and
 * "Customer service windows" (24 h). Sizes are binary: 1 MB = 1,048,576 bytes.
 */
import type { ProviderCapabilities } from "../../domain/providers/provider.ts";

const KB = 1024;
const MB = 1024 * KB;

/** Longest text body, characters. */
export const MAX_TEXT_LENGTH = 4096;
/** Longest caption of an image, video or document, characters; `ProviderCapabilities` has no field for it, so `send` checks it. */
export const MAX_CAPTION_LENGTH = 1024;
/** Static stickers: 100 KB; animated ones may reach the 500 KB in the capabilities (Parley cannot tell them apart before sending). */
export const MAX_STATIC_STICKER_BYTES = 100 * KB;

/** The Cloud API's limits, the same for every inbox. */
export const whatsAppCloudCapabilities: ProviderCapabilities = Object.freeze({
  maxBodyLength: MAX_TEXT_LENGTH,
  media: Object.freeze({
    image: { maxBytes: 5 * MB, mimeTypes: ["image/jpeg", "image/png"] },
    video: { maxBytes: 16 * MB, mimeTypes: ["video/mp4", "video/3gpp"] },
    audio: { maxBytes: 16 * MB, mimeTypes: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"] },
    // A voice message is an audio message of ogg/opus (Meta: "Voice messages require .ogg files encoded with the OPUS codec").
    voice: { maxBytes: 16 * MB, mimeTypes: ["audio/ogg"] },
    // Meta lists common office formats, PDF and plain text; any type is accepted as a document.
    document: { maxBytes: 100 * MB, mimeTypes: [] },
    sticker: { maxBytes: 500 * KB, mimeTypes: ["image/webp"] },
  }),
  templates: true,
  reactions: true,
  customerServiceWindowMs: serviceWindowMsOf("whatsapp_cloud"),
});
