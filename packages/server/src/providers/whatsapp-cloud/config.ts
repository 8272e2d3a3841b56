/**
 * The configuration of a `whatsapp_cloud` inbox (issue 6, "Contract"): what an admin enters in
 * Settings → Inboxes, stored in `inboxes.config` with the secrets encrypted at rest.
 */
import { z } from "zod";

/**
 * Meta's Graph API base URL, versioned. Graph versions move about yearly (WHATSAPP.md), so an
 * inbox may override it with `graph_base_url` (also how tests point an inbox at a local fake).
 */
export const DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com/v25.0";

// A form sends "" for a field left empty; that means "not given", not "invalid".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

const graphId = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .regex(/^\d+$/, `${label} must contain digits only (Meta shows it in the WhatsApp Manager)`);

const secret = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`);

/**
 * `{phone_number_id, waba_id?, access_token, app_secret, verify_token, graph_base_url?}`.
 * Ids are Meta's numeric ids as strings; `graph_base_url` must be http(s) and defaults to
 * {@link DEFAULT_GRAPH_BASE_URL}; a trailing slash is removed. Unknown keys are dropped.
 */
export const whatsAppCloudConfigSchema = z.object({
  phone_number_id: graphId("phone_number_id"),
  /** The WhatsApp Business Account id; needed only to list message templates. */
  waba_id: optional(graphId("waba_id")),
  access_token: secret("access_token"),
  app_secret: secret("app_secret"),
  verify_token: secret("verify_token"),
  graph_base_url: optional(z.url({ protocol: /^https?$/, error: "graph_base_url must be an http(s) URL" })).transform((url) =>
    (url ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, ""),
  ),
});

/** A validated inbox configuration, `graph_base_url` filled in. */
export type WhatsAppCloudConfig = z.output<typeof whatsAppCloudConfigSchema>;

/** The shape an admin submits (`waba_id` and `graph_base_url` may be left out). */
export type WhatsAppCloudConfigInput = z.input<typeof whatsAppCloudConfigSchema>;

/** One reason a configuration was refused: the field (dotted path) and a sentence. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/**
 * Validates a configuration. Returns the config, or every problem found (never throws), so the
 * HTTP layer can answer 400 with the failing field.
 */
export function validateWhatsAppCloudConfig(input: unknown): { ok: true; config: WhatsAppCloudConfig } | { ok: false; problems: ConfigProblem[] } {
  const parsed = whatsAppCloudConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "config", message: issue.message })),
  };
}
