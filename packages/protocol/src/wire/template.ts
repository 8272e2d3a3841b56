/**
 * WhatsApp message templates on the wire (Cloud API inboxes only): the approved templates an
 * inbox offers once the 24-hour customer-service window has closed, and a template as a message
 * carries it. Source: Meta's Cloud API reference, "Message templates".
 */
import { z } from "zod";

/** Longest template name Meta accepts, in characters. */
export const maxTemplateNameLength = 512;

/**
 * A template as a message carries it: its name, its language code as registered with Meta
 * (`en_US`, `pt_BR`) and the values of its body's `{{1}}`, `{{2}}`… in order.
 */
export const messageTemplateSchema = z.object({ name: z.string(), language: z.string(), variables: z.array(z.string()) });
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

/** A template as a send names it: the same shape, checked (trimmed names, bounded lists). */
export const templateRequestSchema = z.object({
  name: z.string().trim().min(1).max(maxTemplateNameLength),
  language: z.string().trim().min(2).max(20),
  variables: z.array(z.string().max(1024)).max(100),
});

/**
 * One item of `GET /api/v1/workspaces/{workspace_id}/inboxes/{inbox_id}/templates`. `status` and
 * `category` are Meta's own values, passed through (`APPROVED`; `MARKETING`, `UTILITY`,
 * `AUTHENTICATION`); `body` is the body text with its `{{n}}` placeholders; `variable_count` is
 * how many `variables` a send of it needs.
 */
export const templateSchema = z.object({
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  body: z.string(),
  variable_count: z.number().int().nonnegative(),
});
export type ApiTemplate = z.infer<typeof templateSchema>;
