/**
 * The WhatsApp Cloud API provider's public surface: what `main.ts`, the HTTP routes and the jobs
 * import. Test doubles live under `./testing/` and are imported from there directly.
 */
export { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, whatsAppCloudCapabilities } from "./capabilities.ts";
export {
  type ConfigProblem,
  DEFAULT_GRAPH_BASE_URL,
  validateWhatsAppCloudConfig,
  type WhatsAppCloudConfig,
  type WhatsAppCloudConfigInput,
  whatsAppCloudConfigSchema,
} from "./config.ts";
export { metaErrorReason, providerErrorFromGraph, providerErrorFromNetwork } from "./errors.ts";
export { type DownloadedMedia, GraphClient, type MediaMetadata } from "./graph-client.ts";
export {
  createWhatsAppCloudProvider,
  DEFAULT_TEMPLATES_CACHE_MS,
  readCloudConfig,
  recipientWaId,
  type WhatsAppCloudProvider,
  type WhatsAppCloudProviderOptions,
} from "./provider.ts";
export { DEFAULT_SENDS_PER_SECOND, SendRateLimiter, systemTime, type TimeSource } from "./rate-limiter.ts";
export type { TemplateSummary } from "./templates.ts";
export {
  type CloudInboundEvent,
  type ParsedWebhookChange,
  parseWebhookPayload,
  WebhookPayloadError,
  type WebhookReportedError,
} from "./webhook-payload.ts";
export { signWebhookBody, verifyWebhookSignature } from "./webhook-signature.ts";
