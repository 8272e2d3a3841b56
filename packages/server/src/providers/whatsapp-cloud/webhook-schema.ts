/**
 * Zod schemas of Meta's `messages` webhook (developers.facebook.com/documentation/business-
 * messaging/whatsapp/webhooks/reference/messages and its per-type pages: text, image, audio,
 * video, document, sticker, location, contacts, reaction, interactive, button, system, order,
 * unsupported; status and errors). Unknown fields are dropped, never refused: Meta adds fields
 * (identity_key_hash, pricing, referral, user ids…) without a version bump.
 */
import { z } from "zod";

const seconds = z.union([z.string().regex(/^\d+$/, "expected a Unix timestamp in seconds"), z.number().int().nonnegative()]);
const degrees = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** An error object as Meta puts it in `value.errors`, `messages[].errors` and `statuses[].errors`. */
export const webhookErrorSchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  /** Documents only. */
  filename: z.string().optional(),
  /** Audio only: true for a voice note recorded in WhatsApp. */
  voice: z.boolean().optional(),
  /** Stickers only. */
  animated: z.boolean().optional(),
});

const replySchema = z.object({ id: z.string().min(1), title: z.string() });

/** Types whose content object Meta always sends, keyed by the type (= the object's key). */
const CONTENT_REQUIRED = ["text", "image", "video", "audio", "document", "sticker", "location", "contacts", "reaction", "interactive", "button"] as const;

/** One message a customer sent. `type` is open: an unknown type becomes a placeholder, not an error. */
export const webhookMessageSchema = z
  .object({
    /** The sender's WhatsApp id (phone number, digits only). */
    from: z.string().min(1),
    id: z.string().min(1),
    timestamp: seconds,
    type: z.string().min(1),
    /** Replies carry the quoted `id`; forwards carry only `forwarded` flags. */
    context: z.object({ id: z.string().optional(), from: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
    text: z.object({ body: z.string() }).optional(),
    image: mediaSchema.optional(),
    video: mediaSchema.optional(),
    audio: mediaSchema.optional(),
    document: mediaSchema.optional(),
    sticker: mediaSchema.optional(),
    location: z.object({ latitude: degrees, longitude: degrees, name: z.string().optional(), address: z.string().optional() }).optional(),
    contacts: z
      .array(
        z.object({
          name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
          phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
        }),
      )
      .optional(),
    /** `emoji` is absent or empty when the customer removed their reaction. */
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string().optional() }).optional(),
    interactive: z.object({ type: z.string(), button_reply: replySchema.optional(), list_reply: replySchema.optional() }).optional(),
    /** A template's quick-reply button. */
    button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
    system: z.object({ body: z.string().optional(), type: z.string().optional() }).optional(),
    unsupported: z.object({ type: z.string().optional() }).optional(),
    errors: z.array(webhookErrorSchema).optional(),
  })
  .superRefine((message, ctx) => {
    const type = message.type as (typeof CONTENT_REQUIRED)[number];
    if (CONTENT_REQUIRED.includes(type) && message[type] === undefined) {
      ctx.addIssue({ code: "custom", path: [type], message: `a ${type} message needs its "${type}" object` });
    }
    const interactive = message.interactive;
    if (interactive && (interactive.type === "button_reply" || interactive.type === "list_reply") && !interactive[interactive.type]) {
      ctx.addIssue({ code: "custom", path: ["interactive", interactive.type], message: `a ${interactive.type} needs its "${interactive.type}" object` });
    }
  });

/** A status change of a message the business sent. `status` is open; unknown ones are ignored by the parser. */
export const webhookStatusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: seconds,
  recipient_id: z.string().optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** `entry[].changes[].value` of a change with `field: "messages"`. */
export const webhookMessagesValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(z.object({ profile: z.object({ name: z.string().optional() }).optional(), wa_id: z.string().optional() })).optional(),
  messages: z.array(webhookMessageSchema).optional(),
  statuses: z.array(webhookStatusSchema).optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** The envelope; a change's `value` is checked by field (only `messages` is read). */
export const webhookEnvelopeSchema = z.object({
  object: z.literal("whatsapp_business_account", { error: 'object must be "whatsapp_business_account"' }),
  entry: z.array(
    z.object({
      /** The WhatsApp Business Account id. */
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type WebhookMessage = z.output<typeof webhookMessageSchema>;
export type WebhookStatus = z.output<typeof webhookStatusSchema>;
export type WebhookMessagesValue = z.output<typeof webhookMessagesValueSchema>;
export type WebhookErrorObject = z.output<typeof webhookErrorSchema>;
