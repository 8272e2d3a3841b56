import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Clock } from "../../domain/clock.ts";
import { DomainError } from "../../domain/errors.ts";
import { isUuid } from "../../domain/ids.ts";
import { openProviderInbox } from "../../domain/inboxes/provider-inbox.ts";
import type { ProviderInbox } from "../../domain/providers/provider.ts";
import type { SecretSealer, SecretTokens } from "../../domain/security.ts";
import type { Store } from "../../domain/ports.ts";
import type { AcceptedDelivery } from "../../domain/webhooks/webhooks.usecases.ts";

export interface CloudWebhookRouteOptions {
  store: Store;
  clock: Clock;
  sealer: SecretSealer;
  tokens: Pick<SecretTokens, "matches">;
  /** Checks `X-Hub-Signature-256` against HMAC-SHA256(app secret, raw body) in constant time. */
  verifySignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean;
  /**
   * Stores a verified delivery durably with its processing job; resolves once committed
   * (`acceptWebhookDeliveries` behind a group commit, see app.ts).
   */
  accept(delivery: AcceptedDelivery): Promise<string>;
  /**
   * How long an inbox's settings (its app secret, opened) are reused between deliveries, in ms.
   * Default 5,000: a burst of deliveries costs one lookup and one decryption per inbox, and a
   * changed secret takes effect within this time.
   */
  inboxCacheMs?: number;
}

/**
 * Meta's webhook endpoints for WhatsApp Cloud API inboxes (Cloud API reference, "Webhooks"):
 * `GET` answers the subscription challenge when the verify token matches (403 otherwise);
 * `POST` checks `X-Hub-Signature-256` over the raw bytes before anything is parsed (401 and
 * nothing stored when missing or wrong), stores the delivery durably with its processing job,
 * and only then answers 200, so Meta redelivers anything not acknowledged. Processing happens in
 * the `webhooks.process` job.
 */
export const whatsappCloudWebhookRoutes: FastifyPluginAsyncZod<CloudWebhookRouteOptions> = async (app, options) => {
  // The signature covers the exact bytes Meta sent: keep them instead of parsing JSON here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  type CloudInbox = { inbox: ProviderInbox; workspaceId: string };
  const cacheMs = options.inboxCacheMs ?? 5_000;
  const cache = new Map<string, { expiresAt: number; value: Promise<CloudInbox | null> }>();

  async function loadCloudInbox(inboxId: string): Promise<CloudInbox | null> {
    const found = await options.store.inboxes.findWithConfig(inboxId);
    if (found?.inbox.provider !== "whatsapp_cloud") return null;
    return { inbox: openProviderInbox(found.inbox, found.config, options.sealer), workspaceId: found.inbox.workspaceId };
  }

  function cloudInbox(inboxId: string): Promise<CloudInbox | null> {
    if (!isUuid(inboxId)) return Promise.resolve(null);
    const now = options.clock.now().getTime();
    const cached = cache.get(inboxId);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = loadCloudInbox(inboxId);
    // Only found inboxes stay cached, so a flood of made-up ids cannot grow the map.
    if (cache.size >= 10_000) cache.clear();
    cache.set(inboxId, { expiresAt: now + cacheMs, value });
    value.then(
      (found) => {
        if (!found) cache.delete(inboxId);
      },
      () => cache.delete(inboxId),
    );
    return value;
  }

  app.get(
    "/webhooks/whatsapp-cloud/:inbox_id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Meta's webhook verification (answers hub.challenge)",
        security: [],
        params: z.object({ inbox_id: z.string() }),
        querystring: z.object({
          "hub.mode": z.string().default(""),
          "hub.verify_token": z.string().default(""),
          "hub.challenge": z.string().max(1000).default(""),
        }),
      },
    },
    async (request, reply) => {
      const found = await cloudInbox(request.params.inbox_id);
      const query = request.query;
      const expected = found ? String(found.inbox.config["verify_token"] ?? "") : "";
      if (!found || query["hub.mode"] !== "subscribe" || expected === "" || !options.tokens.matches(expected, query["hub.verify_token"])) {
        throw new DomainError("webhooks.verification_failed", "The verify token does not match this inbox.");
      }
      return reply.header("content-type", "text/plain; charset=utf-8").send(query["hub.challenge"]);
    },
  );

  app.post(
    "/webhooks/whatsapp-cloud/:inbox_id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "A signed webhook delivery from Meta (stored, then processed as a job)",
        security: [],
        params: z.object({ inbox_id: z.string() }),
      },
    },
    async (request, reply) => {
      const found = await cloudInbox(request.params.inbox_id);
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const appSecret = found ? String(found.inbox.config["app_secret"] ?? "") : "";
      const header = request.headers["x-hub-signature-256"];
      // An unknown inbox answers like a bad signature, so ids cannot be probed.
      if (!found || appSecret === "" || !options.verifySignature(appSecret, rawBody, typeof header === "string" ? header : undefined)) {
        throw new DomainError("webhooks.invalid_signature", "The X-Hub-Signature-256 header is missing or does not match the body.");
      }
      await options.accept({ inbox: { id: found.inbox.id, workspaceId: found.workspaceId }, body: rawBody.toString("utf8") });
      return reply.header("content-type", "text/plain; charset=utf-8").send("EVENT_RECEIVED");
    },
  );
};
