import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import type { MediaStorage } from "../media/media.ts";
import type { Store } from "../ports.ts";
import { ProviderError, type OutboundContent, type OutboundMessage, type ProviderDirectory } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
import type { Message } from "./message.ts";
import { statusesThatCanMoveTo, timestampsStampedBy } from "./message-status.ts";
import { nextAttemptDelayMs } from "./send-retry.ts";

export interface DeliveryDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  providers: ProviderDirectory;
  sealer: SecretSealer;
  mediaStorage: MediaStorage;
}

/** What one delivery attempt came to. */
export type DeliveryOutcome = "sent" | "failed" | "retry_scheduled" | "skipped";

/**
 * The `messages.send` job (ARCHITECTURE.md, "Flows", outbound): hands a pending message to its
 * inbox's provider, records `provider_message_id` and moves it to `sent`. A provider refusal that
 * cannot succeed later (`ProviderError` with `retry: "never"`: invalid number, window closed…)
 * fails the message at once with the provider's reason; any other error schedules the next
 * attempt after 10 s, 30 s, 60 s (send-retry.ts), then fails it. A message that is no longer
 * pending (sent by an earlier attempt, or gone) is skipped, so a repeated job sends nothing twice
 * once the first attempt was recorded.
 */
export async function deliverMessage(
  deps: DeliveryDependencies,
  job: { workspaceId: string; messageId: string; attempt?: number | undefined },
): Promise<DeliveryOutcome> {
  const message = await deps.store.messages.findById(job.workspaceId, job.messageId);
  if (message?.status !== "pending" || message.direction !== "outbound") return "skipped";
  const attempt = job.attempt ?? 0;
  try {
    const found = await deps.store.inboxes.findWithConfig(message.inboxId);
    const recipient = await deps.store.conversations.findRecipient(message.workspaceId, message.conversationId);
    if (!found || !recipient) return fail(deps, message, "The inbox or conversation of this message no longer exists.");
    const inbox = openProviderInbox(found.inbox, found.config, deps.sealer);
    const quoted = message.replyToId ? await deps.store.messages.findById(message.workspaceId, message.replyToId) : null;
    const outbound: OutboundMessage = {
      messageId: message.id,
      recipient,
      content: await contentOf(deps, message),
      replyToProviderMessageId: quoted?.providerMessageId ?? null,
      stored: message,
    };
    const receipt = await deps.providers.forKind(inbox.provider).send(inbox, outbound);
    const changed = await deps.store.messages.advanceStatus({
      workspaceId: message.workspaceId,
      id: message.id,
      to: receipt.status,
      fromStatuses: statusesThatCanMoveTo(receipt.status),
      stamps: timestampsStampedBy(receipt.status),
      at: deps.clock.now(),
      providerMessageId: receipt.providerMessageId,
    });
    if (changed) await deps.events.publish([{ type: "message.status.updated", workspaceId: message.workspaceId, message: changed }]);
    return "sent";
  } catch (error) {
    const permanent = error instanceof ProviderError && error.retry === "never";
    const reason = error instanceof ProviderError ? error.reason : "The message could not be sent.";
    const delayMs = permanent ? null : nextAttemptDelayMs(attempt + 1, error instanceof ProviderError ? error.retryAfterMs : null);
    if (delayMs === null) return fail(deps, message, reason);
    await deps.store.jobs.schedule("messages.send", { workspaceId: message.workspaceId, messageId: message.id, attempt: attempt + 1 }, { delayMs });
    return "retry_scheduled";
  }
}

async function contentOf(deps: DeliveryDependencies, message: Message): Promise<OutboundContent> {
  if (message.type === "template" && message.attributes.template) return { kind: "template", template: message.attributes.template };
  if (message.mediaId) {
    const media = await deps.store.media.findById(message.mediaId);
    if (!media) throw new ProviderError({ retry: "never", reason: "The attachment of this message no longer exists." });
    const type =
      message.type === "image" || message.type === "video" || message.type === "audio" || message.type === "voice" || message.type === "sticker"
        ? message.type
        : "document";
    return {
      kind: "media",
      type,
      caption: message.body,
      media: {
        id: media.id,
        mime: media.mime,
        sizeBytes: media.sizeBytes,
        filename: media.filename,
        read: async () => {
          const bytes = await deps.mediaStorage.read(media.storageKey);
          if (!bytes) throw new ProviderError({ retry: "never", reason: "The attachment's bytes are missing from storage." });
          return bytes;
        },
      },
    };
  }
  return { kind: "text", body: message.body ?? "" };
}

async function fail(deps: DeliveryDependencies, message: Message, reason: string): Promise<DeliveryOutcome> {
  const failed = await deps.store.messages.advanceStatus({
    workspaceId: message.workspaceId,
    id: message.id,
    to: "failed",
    fromStatuses: statusesThatCanMoveTo("failed"),
    stamps: [],
    at: deps.clock.now(),
    failedReason: reason,
  });
  if (failed) await deps.events.publish([{ type: "message.status.updated", workspaceId: message.workspaceId, message: failed }]);
  return "failed";
}
