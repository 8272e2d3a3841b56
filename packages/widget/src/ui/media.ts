import type { Media } from "../protocol.ts";
import { h } from "./dom.ts";

/** A size in bytes for people: "512 B", "34 KB", "2.5 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

// The widget runs on the customer's site, so the server's path-only capability URLs are made
// absolute against the API origin. Anything but http(s) or a path gives "": never a link.
function resolve(url: string, base: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  return url.startsWith("/") && !url.startsWith("//") ? base + url : "";
}

/**
 * A message's attachment: images as a thumbnail linking to the full image, audio and video
 * with the browser's controls, anything else as a card with the filename and size (a link once
 * the server has the file; a plain card while it is still uploading).
 *
 * @param type  the message type ("image", "video", "audio", "voice", "document"…).
 * @param base  the server origin the media URL is relative to.
 */
export function attachment(type: string, media: Media, base: string): HTMLElement {
  const src = resolve(media.url, base);
  const name = media.filename || type;
  const link = { href: src, target: "_blank", rel: "noopener" };
  if (src && (type === "image" || type === "sticker")) return h("a", { class: "att", ...link }, h("img", { src, alt: name }));
  if (src && (type === "video" || type === "audio" || type === "voice")) {
    return h(type === "video" ? "video" : "audio", { class: "att", src, controls: "", preload: "metadata" });
  }
  const label = [h("b", null, name), h("small", null, fileSize(media.size))];
  return src ? h("a", { class: "file", ...link }, ...label) : h("span", { class: "file" }, ...label);
}
