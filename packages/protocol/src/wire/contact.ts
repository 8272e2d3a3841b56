/** A customer as the API carries it: an E.164 phone number (WhatsApp) or a website visitor. */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { optOutSources } from "./values.ts";

/**
 * `phone` is E.164 (`+5511987654321`) for WhatsApp contacts; `jid` is the same person's WhatsApp
 * JID (`5511987654321@s.whatsapp.net`), derived from `phone`, null when there is no phone (widget
 * visitors); `visitor_id` is set for widget visitors.
 */
export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  jid: z.string().nullable(),
  visitor_id: z.string().nullable(),
  avatar_url: z.string().nullable(),
  last_seen_at: isoTime.nullable(),
  blocked: z.boolean(),
  /** Names from the workspace's label catalogue. */
  labels: z.array(z.string()),
  /** When the contact opted out of campaigns (STOP, BERHENTI…, Meta's 131050, an agent or an import), or null. */
  opted_out_at: isoTime.nullable(),
  opt_out_source: z.enum(optOutSources).nullable(),
  created_at: isoTime,
});
export type ApiContact = z.infer<typeof contactSchema>;
