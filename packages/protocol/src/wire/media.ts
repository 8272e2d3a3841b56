/**
 * Attachments on the wire: a message's `media` and the answer of an upload
 * (`POST /api/v1/workspaces/{workspace_id}/media`).
 */
import { z } from "zod";

/**
 * A stored attachment. `size` is in bytes; `url` is a capability URL that works as an
 * `<img>`/`<video>`/`<a>` source without a bearer header; `filename` is the name the file was
 * sent with, when it had one.
 */
export const mediaSchema = z.object({
  id: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  filename: z.string().nullable(),
});
export type ApiMedia = z.infer<typeof mediaSchema>;

/** Answer of an upload: the stored attachment, whose `id` a send then names as `media_id`. */
export const mediaUploadResponseSchema = mediaSchema;
export type MediaUploadResponse = z.infer<typeof mediaUploadResponseSchema>;
