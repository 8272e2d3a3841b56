/**
 * A file the agent is attaching: it starts uploading as soon as it is picked, so the preview chip
 * shows real progress and the message goes out the moment the agent presses Send.
 */
import { reactive } from "vue";
import { ApiError, errorText } from "./http.ts";
import type { MessageMedia, MessageType } from "./types.ts";
import { t } from "../i18n/index.ts";

export type AttachmentKind = Extract<MessageType, "image" | "video" | "audio" | "document">;

export interface Attachment {
  readonly key: string;
  readonly file: File;
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  readonly mime: string;
  readonly kind: AttachmentKind;
  /** An object URL for images and videos (shown before the server has the file), else null. */
  readonly previewUrl: string | null;
  /** Fraction uploaded, 0–1. */
  progress: number;
  state: "uploading" | "uploaded" | "failed" | "cancelled";
  media: MessageMedia | null;
  /** Why the upload failed, in words for the agent. */
  error: string | null;
  /** The current upload: resolves to the stored media, rejects with its error (or an AbortError). */
  whenUploaded(): Promise<MessageMedia>;
  /** Starts a failed upload again. */
  retry(): void;
  /** Stops the upload and releases the preview. */
  cancel(): void;
}

/** Uploads a file; resolves to the stored media (see mediaApi.upload). */
export type Uploader = (file: File, options: { onProgress: (fraction: number) => void; signal: AbortSignal }) => Promise<MessageMedia>;

/** What a file would be sent as, from its MIME type. */
export function attachmentKind(mime: string): AttachmentKind {
  if (mime.startsWith("image/")) return "image";
  if (mime.startsWith("video/")) return "video";
  if (mime.startsWith("audio/")) return "audio";
  return "document";
}

/** The agent's words for a failed upload: the 413 and 415 answers get their own. */
export function uploadErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 413) return t("errors.fileTooLarge");
  if (error instanceof ApiError && error.status === 415) return t("errors.fileTypeRefused");
  return errorText(error);
}

let counter = 0;

/** Starts uploading `file` with `uploader` and returns its live (reactive) state. */
export function startAttachment(file: File, uploader: Uploader): Attachment {
  const kind = attachmentKind(file.type);
  const previewUrl = (kind === "image" || kind === "video") && typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : null;
  let controller = new AbortController();
  let current: Promise<MessageMedia>;
  const attachment: Attachment = reactive({
    key: `attachment-${++counter}`,
    file,
    name: file.name || "file",
    size: file.size,
    mime: file.type || "application/octet-stream",
    kind,
    previewUrl,
    progress: 0,
    state: "uploading",
    media: null,
    error: null,
    whenUploaded: () => current,
    retry: () => {
      if (attachment.state === "failed") begin();
    },
    cancel: () => {
      if (attachment.state === "cancelled") return;
      attachment.state = "cancelled";
      controller.abort();
      if (previewUrl) URL.revokeObjectURL(previewUrl);
    },
  }) as Attachment;

  function begin(): void {
    controller = new AbortController();
    attachment.state = "uploading";
    attachment.progress = 0;
    attachment.error = null;
    current = uploader(file, { onProgress: (fraction) => (attachment.progress = fraction), signal: controller.signal }).then(
      (media) => {
        if (attachment.state === "cancelled") throw new DOMException("The upload was cancelled.", "AbortError");
        attachment.media = media;
        attachment.progress = 1;
        attachment.state = "uploaded";
        return media;
      },
      (error: unknown) => {
        if (attachment.state !== "cancelled") {
          attachment.state = "failed";
          attachment.error = uploadErrorText(error);
        }
        throw error;
      },
    );
    // Whoever sends awaits it; an unsent chip only shows the error.
    current.catch(() => {});
  }

  begin();
  return attachment;
}
