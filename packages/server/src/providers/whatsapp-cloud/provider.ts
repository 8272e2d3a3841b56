/**
 * The `Provider` for `whatsapp_cloud` inboxes (domain/providers/provider.ts): Meta's WhatsApp
 * Cloud API over HTTPS. Sends are paced per phone number (rate-limiter.ts) and every refusal is
 * a ProviderError (errors.ts). Passes the shared contract, providers/provider.contract.ts.
 */
import type { OutboundMessage, Provider, ProviderCapabilities, ProviderInbox, ProviderRecipient, SendReceipt } from "../../domain/providers/provider.ts";
import { ProviderError } from "../../domain/providers/provider.ts";
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, whatsAppCloudCapabilities } from "./capabilities.ts";
import { validateWhatsAppCloudConfig, type WhatsAppCloudConfig } from "./config.ts";
import { THROUGHPUT_BACKOFF_MS } from "./errors.ts";
import { type DownloadedMedia, GraphClient } from "./graph-client.ts";
import {
  type Addressing,
  CAPTION_KINDS,
  type CloudMediaKind,
  mediaBody,
  reactionBody,
  readBody,
  type SendMessageBody,
  templateBody,
  textBody,
  typingBody,
} from "./message-bodies.ts";
import type { Dispatcher } from "undici";
import { sharedRateStates } from "./shared-send-rates.ts";
import { SendRateLimiter, systemTime, type TimeSource } from "./rate-limiter.ts";
import type { TemplateSummary } from "./templates.ts";

/** Options of {@link createWhatsAppCloudProvider}; every one has a default. */
export interface WhatsAppCloudProviderOptions {
  /** The undici dispatcher Graph API calls go through (a proxy agent, a test's MockAgent); default undici's global agent. */
  dispatcher?: Dispatcher;
  /** Sends per second per phone number; default 80 (Meta's default throughput). In-process: per node. */
  rateLimitPerSecond?: number;
  /**
   * Memory shared with the other threads' Cloud API providers (shared-send-rates.ts,
   * `sharedRateMemory`), so they count each number's sends together; default this thread's own count.
   */
  sharedRateMemory?: SharedArrayBuffer;
  /** How long an inbox's template list is reused, ms; default 5 min. */
  templatesCacheMs?: number;
  /** Timeout of each Graph API call, ms; default 15 s. */
  timeoutMs?: number;
  /** Timeout of a media download, ms; default 120 s. */
  downloadTimeoutMs?: number;
  /** Time source of the rate limiter and the template cache. */
  clock?: TimeSource;
}

/** The provider plus what only the Cloud API offers. */
export interface WhatsAppCloudProvider extends Provider {
  readonly kind: "whatsapp_cloud";
  /**
   * The inbox's APPROVED templates (`GET {graph}/{waba_id}/message_templates`), cached per inbox
   * for `templatesCacheMs`. Throws ProviderError (`never` when the inbox has no `waba_id`).
   */
  listTemplates(inbox: ProviderInbox): Promise<TemplateSummary[]>;
  /** Forgets an inbox's cached templates (after its config changed). */
  forgetTemplates(inboxId: string): void;
  /**
   * Downloads an inbound message's media: `GET {graph}/{media_id}` → url → bytes with the bearer
   * token; checks the sha256 (the webhook's `expectedSha256` when given, else the metadata's).
   * Throws ProviderError (`later` on a hash mismatch or a network fault).
   */
  downloadMedia(inbox: ProviderInbox, providerMediaId: string, expectedSha256?: string | null): Promise<DownloadedMedia & { fileSize: number | null }>;
}

/** Default template cache lifetime: 5 minutes. */
export const DEFAULT_TEMPLATES_CACHE_MS = 5 * 60 * 1000;

const never = (reason: string, cause?: unknown) => new ProviderError({ retry: "never", reason, cause });

/**
 * Configs already validated, by the config object an opened inbox carries: a campaign sends
 * through one opened inbox thousands of times, and validating (zod) at each send cost about
 * 45 µs. Opened inboxes are not changed in place (provider-inbox.ts builds a new one each time).
 */
const validatedConfigs = new WeakMap<object, WhatsAppCloudConfig>();

/**
 * Reads an inbox's config. @throws {ProviderError} `never` for another inbox kind or an invalid
 * config (naming the fields), since no retry can fix either.
 */
export function readCloudConfig(inbox: ProviderInbox): WhatsAppCloudConfig {
  if (inbox.provider !== "whatsapp_cloud") throw never(`Inbox ${inbox.id} is not a WhatsApp Cloud API inbox`);
  const known = validatedConfigs.get(inbox.config);
  if (known) return known;
  const result = validateWhatsAppCloudConfig(inbox.config);
  if (result.ok) {
    validatedConfigs.set(inbox.config, result.config);
    return result.config;
  }
  throw never(`The inbox's WhatsApp Cloud API settings are invalid: ${result.problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
}

/**
 * The recipient's WhatsApp id: the E.164 phone without `+` (`+5511987654321` → `5511987654321`).
 * @throws {ProviderError} `never` when the recipient has no phone number (a group or a visitor).
 */
export function recipientWaId(recipient: ProviderRecipient): string {
  const digits = recipient.phone?.replace(/^\+/, "") ?? "";
  if (!/^\d{6,15}$/.test(digits)) throw never("This contact has no WhatsApp phone number to send to");
  return digits;
}

/** Builds the send body of an outbound message, uploading its media first. */
async function buildSendBody(graph: GraphClient, config: WhatsAppCloudConfig, message: OutboundMessage): Promise<SendMessageBody> {
  const address: Addressing = { to: recipientWaId(message.recipient), replyTo: message.replyToProviderMessageId };
  const content = message.content;
  switch (content.kind) {
    case "text":
      if (content.body.length > MAX_TEXT_LENGTH) throw never(`WhatsApp text messages are limited to ${MAX_TEXT_LENGTH} characters`);
      return textBody(address, content.body);
    case "template":
      return templateBody(address, content.template);
    case "reaction":
      return reactionBody(address, content.targetProviderMessageId, content.emoji);
    case "media": {
      const kind: CloudMediaKind = content.type === "voice" ? "audio" : content.type;
      if (content.caption && !CAPTION_KINDS.has(kind))
        throw never(`WhatsApp cannot show a caption with ${kind === "audio" ? "an audio message" : "a sticker"}`);
      if (content.caption && content.caption.length > MAX_CAPTION_LENGTH) throw never(`WhatsApp captions are limited to ${MAX_CAPTION_LENGTH} characters`);
      const bytes = await content.media.read();
      const id = await graph.uploadMedia(config.phone_number_id, { bytes, mime: content.media.mime, filename: content.media.filename });
      return mediaBody(address, kind, { id }, { caption: content.caption, filename: content.media.filename, voice: content.type === "voice" });
    }
  }
}

/** Creates the Cloud API provider. One instance serves every `whatsapp_cloud` inbox of the process. */
export function createWhatsAppCloudProvider(options: WhatsAppCloudProviderOptions = {}): WhatsAppCloudProvider {
  const clock = options.clock ?? systemTime;
  const limiter = new SendRateLimiter(
    { perSecond: options.rateLimitPerSecond, ...(options.sharedRateMemory ? { states: sharedRateStates(options.sharedRateMemory) } : {}) },
    clock,
  );
  const cacheMs = options.templatesCacheMs ?? DEFAULT_TEMPLATES_CACHE_MS;
  const templateCache = new Map<string, { key: string; expiresAt: number; templates: Promise<TemplateSummary[]> }>();

  const graphFor = (config: WhatsAppCloudConfig) =>
    new GraphClient({
      baseUrl: config.graph_base_url,
      accessToken: config.access_token,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      timeoutMs: options.timeoutMs,
      downloadTimeoutMs: options.downloadTimeoutMs,
      nowMs: () => clock.nowMs(),
    });

  return {
    kind: "whatsapp_cloud",

    capabilities(): ProviderCapabilities {
      return whatsAppCloudCapabilities;
    },

    async send(inbox, message): Promise<SendReceipt> {
      const config = readCloudConfig(inbox);
      const graph = graphFor(config);
      const body = await buildSendBody(graph, config, message);
      await limiter.acquire(config.phone_number_id);
      try {
        const result = await graph.sendMessage(config.phone_number_id, body);
        return { providerMessageId: result.messageId, status: "sent" };
      } catch (error) {
        if (error instanceof ProviderError && error.providerCode === "130429") {
          limiter.pause(config.phone_number_id, error.retryAfterMs ?? THROUGHPUT_BACKOFF_MS);
        }
        throw error;
      }
    },

    async markRead(inbox, input): Promise<void> {
      if (input.lastProviderMessageId === null) return;
      const config = readCloudConfig(inbox);
      await graphFor(config).markRead(config.phone_number_id, readBody(input.lastProviderMessageId));
    },

    // The Cloud API has no "stop typing": the indicator ends on the next message or after 25 s.
    async typing(inbox, input): Promise<void> {
      if (!input.isTyping || input.lastInboundProviderMessageId === null) return;
      const config = readCloudConfig(inbox);
      await graphFor(config).markRead(config.phone_number_id, typingBody(input.lastInboundProviderMessageId));
    },

    async listTemplates(inbox): Promise<TemplateSummary[]> {
      const config = readCloudConfig(inbox);
      const wabaId = config.waba_id;
      if (!wabaId) throw never("Set the WhatsApp Business Account id (waba_id) of this inbox to list its templates");
      const key = `${config.graph_base_url}|${wabaId}|${config.access_token}`;
      const cached = templateCache.get(inbox.id);
      if (cached && cached.key === key && cached.expiresAt > clock.nowMs()) return cached.templates;
      const templates = graphFor(config).listTemplates(wabaId);
      templateCache.set(inbox.id, { key, expiresAt: clock.nowMs() + cacheMs, templates });
      // A failed listing is not cached: the next call asks Meta again.
      templates.catch(() => {
        if (templateCache.get(inbox.id)?.templates === templates) templateCache.delete(inbox.id);
      });
      return templates;
    },

    forgetTemplates(inboxId): void {
      templateCache.delete(inboxId);
    },

    async downloadMedia(inbox, providerMediaId, expectedSha256 = null) {
      return graphFor(readCloudConfig(inbox)).downloadMedia(providerMediaId, expectedSha256);
    },

    async fetchMedia(inbox, providerMediaId) {
      const downloaded = await graphFor(readCloudConfig(inbox)).downloadMedia(providerMediaId, null);
      return { bytes: downloaded.bytes, mime: downloaded.mime, filename: null };
    },
  };
}
