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

/** A contact as the Contacts page shows and edits it: the contact plus its custom attributes (text values). */
export const contactDetailSchema = contactSchema.extend({
  custom_attributes: z.record(z.string(), z.string()),
});
export type ApiContactDetail = z.infer<typeof contactDetailSchema>;

/** Most custom attributes a contact carries, and longest key and value, in characters. */
export const maxCustomAttributes = 50;
export const maxCustomAttributeKeyLength = 64;
export const maxCustomAttributeValueLength = 1000;

const customAttributes = z
  .record(z.string().trim().min(1).max(maxCustomAttributeKeyLength), z.string().max(maxCustomAttributeValueLength))
  .refine((record) => Object.keys(record).length <= maxCustomAttributes, `At most ${maxCustomAttributes} custom attributes.`);

/** `POST /workspaces/{id}/contacts`: `phone` in any format (read against the workspace's country); `opted_out` true opts the new contact out (source `agent`). */
export const contactCreateSchema = z
  .object({
    phone: z.string().min(1).max(64),
    name: z.string().trim().max(200).nullable().optional(),
    email: z.email().max(320).nullable().optional(),
    labels: z.array(z.string().max(100)).max(50).optional(),
    custom_attributes: customAttributes.optional(),
    opted_out: z.boolean().optional(),
  })
  .strict();
export type ApiContactCreate = z.infer<typeof contactCreateSchema>;

/**
 * `PATCH /workspaces/{id}/contacts/{contact_id}`: any subset. `custom_attributes` replaces them
 * all; `opted_out` true opts the contact out of campaigns (source `agent`), false back in.
 */
export const contactChangeSchema = contactCreateSchema.partial().strict();
export type ApiContactChange = z.infer<typeof contactChangeSchema>;

/** `contact.updated` on `private-workspace.{id}`: a contact changed (opted out by keyword, edited). */
export const contactUpdatedEventSchema = z.object({ contact: contactDetailSchema, timestamp: isoTime });
export type ContactUpdatedEventPayload = z.infer<typeof contactUpdatedEventSchema>;
