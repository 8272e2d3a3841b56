/** A customer as the API carries it: an E.164 phone number (WhatsApp) or a website visitor. */
import { z } from "zod";
import { isoTime } from "./common.ts";

/** `phone` is E.164 (`+5511987654321`) for WhatsApp contacts; `visitor_id` is set for widget visitors. */
export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  visitor_id: z.string().nullable(),
  avatar_url: z.string().nullable(),
  last_seen_at: isoTime.nullable(),
  blocked: z.boolean(),
  created_at: isoTime,
});
export type ApiContact = z.infer<typeof contactSchema>;
