import type { Attachment } from "../../../lib/attachment.ts";
import type { ThreadMessage } from "../../../lib/types.ts";

/**
 * What the agent sends from the composer: the trimmed text (the caption when there is an
 * attachment; may be empty then), the attachment (uploading or uploaded), the quoted message.
 */
export interface ComposedMessage {
  body: string;
  attachment: Attachment | null;
  replyTo: ThreadMessage | null;
}
