/**
 * The body of a send: `POST /api/v1/workspaces/{workspace_id}/conversations/{id}/messages` (an
 * agent) and the widget's `POST .../messages` (a visitor). Request shapes are checked strictly;
 * the server then checks what depends on the inbox (body length, media kinds, the window).
 */
import { z } from "zod";
import { templateRequestSchema } from "./template.ts";
import { maxClientMessageIdLength } from "./values.ts";

/**
 * Longest body a request may carry, in characters: a coarse cap (twice WhatsApp's 4,096) so
 * that the server, which knows the inbox's exact limit, answers `messages.body_too_long`.
 */
export const maxRequestBodyLength = 8192;

/**
 * A send carries exactly one kind of content: a text `body`, an uploaded attachment `media_id`
 * (with `body` as its optional caption), or an approved `template`. `client_message_id` makes it
 * idempotent (the server makes one when absent); `reply_to_id` quotes a message of the same
 * conversation.
 */
export const sendMessageRequestSchema = z
  .object({
    body: z.string().max(maxRequestBodyLength).optional(),
    client_message_id: z.string().trim().min(1).max(maxClientMessageIdLength).optional(),
    reply_to_id: z.uuid().optional(),
    media_id: z.uuid().optional(),
    template: templateRequestSchema.optional(),
  })
  .superRefine((send, context) => {
    if (send.template !== undefined && (send.body !== undefined || send.media_id !== undefined)) {
      context.addIssue({ code: "custom", path: ["template"], message: "A template is sent alone, without body or media_id." });
    } else if (send.template === undefined && send.media_id === undefined && send.body === undefined) {
      context.addIssue({ code: "custom", path: ["body"], message: "Send a body, a media_id or a template." });
    }
  });
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;
