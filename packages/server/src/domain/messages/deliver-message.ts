import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import { chooseSendingInbox, healthWindowMs, type SendingInbox } from "../inboxes/sending-inbox.ts";
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
  /**
   * Whether this node runs an inbox's WhatsApp Web session. A send through a session that runs
   * elsewhere is handed to its owner's queue; absent, every session counts as elsewhere.
   */
  runsSession?(inboxId: string): boolean;
}

/**
 * What one delivery attempt came to: `routed` when it was handed to the node that runs the
 * sending inbox's session; `sent` carries the inbox it went through when that was a failover.
 */
export type DeliveryOutcome =
  | { outcome: "sent"; failover: { inboxId: string; reason: "primary" | "health" } | null }
  | { outcome: "failed" | "retry_scheduled" | "skipped" | "routed" };

/**
 * The `messages.send` job (ARCHITECTURE.md, "Flows", outbound): hands a pending message to its
 * inbox's provider, records `provider_message_id` and moves it to `sent`. A provider refusal that
 * cannot succeed later (`ProviderError` with `retry: "never"`: invalid number, window closed…)
 * fails the message at once with the provider's reason; any other error schedules the next
 * attempt after 10 s, 30 s, 60 s (send-retry.ts), then fails it. A message that is no longer
 * pending (sent by an earlier attempt, or gone) is skipped, so a repeated job sends nothing twice
 * once the first attempt was recorded.
 *
 * The sending inbox is chosen per attempt (sending-inbox.ts): a WhatsApp Web conversation whose
 * inbox is not connected goes out through the workspace's primary or healthiest connected one,
 * recorded as `sent_via`. A send through a WhatsApp Web session that runs on another node is
 * handed to that session's queue (`whatsapp.session`), which only its owner works.
 */
export async function deliverMessage(
  deps: DeliveryDependencies,
  job: { workspaceId: string; messageId: string; attempt?: number | undefined; waitedSeconds?: number | undefined },
): Promise<DeliveryOutcome> {
  const message = await deps.store.messages.findById(job.workspaceId, job.messageId);
  if (message?.status !== "pending" || message.direction !== "outbound") return { outcome: "skipped" };
  const attempt = job.attempt ?? 0;
  try {
    // Together: one wait for the database instead of two in a row (a reply's latency).
    const [own, recipient] = await Promise.all([
      deps.store.inboxes.findWithConfig(message.inboxId),
      deps.store.conversations.findRecipient(message.workspaceId, message.conversationId),
    ]);
    if (!own || !recipient) return fail(deps, message, "The inbox or conversation of this message no longer exists.");
    const chosen = await sendingInboxOf(deps, own.inbox, { allowFailover: recipient.groupJid === null });
    const waitedSeconds = job.waitedSeconds ?? 0;
    if (!chosen && isConnecting(own.inbox) && deps.runsSession?.(own.inbox.id) && waitedSeconds < maxSessionWaitSeconds) {
      // This node is bringing the session up (a takeover, a reconnect): the reply waits for it
      // in the session's queue, second by second, rather than a whole retry delay.
      await deps.store.jobs.schedule(
        "whatsapp.session",
        { inboxId: own.inbox.id, task: { kind: "send", workspaceId: message.workspaceId, messageId: message.id, attempt, waitedSeconds: waitedSeconds + 1 } },
        { delayMs: 1000 },
      );
      return { outcome: "routed" };
    }
    if (!chosen) {
      throw new ProviderError({ retry: "later", reason: "No WhatsApp inbox of this workspace is connected: link the phone again (Settings → Inboxes)." });
    }
    if (chosen.inbox.provider === "whatsapp_web" && !deps.runsSession?.(chosen.inbox.id)) {
      await deps.store.jobs.schedule("whatsapp.session", {
        inboxId: chosen.inbox.id,
        task: { kind: "send", workspaceId: message.workspaceId, messageId: message.id, attempt },
      });
      return { outcome: "routed" };
    }
    const found = chosen.failover ? await deps.store.inboxes.findWithConfig(chosen.inbox.id) : own;
    if (!found) throw new ProviderError({ retry: "later", reason: "The inbox chosen to send this message was just deleted." });
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
      sentViaInboxId: chosen.failover ? chosen.inbox.id : null,
    });
    if (changed) await deps.events.publish([{ type: "message.status.updated", workspaceId: message.workspaceId, message: changed }]);
    return { outcome: "sent", failover: chosen.failover && chosen.reason !== "own" ? { inboxId: chosen.inbox.id, reason: chosen.reason } : null };
  } catch (error) {
    const permanent = error instanceof ProviderError && error.retry === "never";
    const reason = error instanceof ProviderError ? error.reason : "The message could not be sent.";
    const delayMs = permanent ? null : nextAttemptDelayMs(attempt + 1, error instanceof ProviderError ? error.retryAfterMs : null);
    if (delayMs === null) return fail(deps, message, reason);
    await deps.store.jobs.schedule("messages.send", { workspaceId: message.workspaceId, messageId: message.id, attempt: attempt + 1 }, { delayMs });
    return { outcome: "retry_scheduled" };
  }
}

/** How long a reply waits for a session this node is connecting before the usual retries, in s. */
export const maxSessionWaitSeconds = 30;

function isConnecting(inbox: Inbox): boolean {
  return inbox.provider === "whatsapp_web" && (inbox.status === "connecting" || inbox.status === "authenticated");
}

/** The inbox a reply goes through now (sending-inbox.ts), reading the workspace's others only when its own is down. */
async function sendingInboxOf(deps: DeliveryDependencies, own: Inbox, options: { allowFailover: boolean }): Promise<SendingInbox | null> {
  const quick = chooseSendingInbox(own, [], new Map(), { allowFailover: false });
  if (quick || !options.allowFailover) return quick;
  const inboxes = await deps.store.inboxes.list(own.workspaceId);
  const candidates = inboxes.filter((inbox) => inbox.provider === own.provider && inbox.status === "ready" && inbox.id !== own.id);
  const since = new Date(deps.clock.now().getTime() - healthWindowMs);
  const outcomes = await deps.store.messages.sendOutcomes(
    own.workspaceId,
    candidates.map((inbox) => inbox.id),
    since,
  );
  return chooseSendingInbox(own, inboxes, outcomes, options);
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

async function fail(deps: DeliveryDependencies, message: Message, reason: string): Promise<DeliveryOutcome & { outcome: "failed" }> {
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
  return { outcome: "failed" };
}
