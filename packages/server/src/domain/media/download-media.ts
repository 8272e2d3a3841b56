import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import { openProviderInbox } from "../inboxes/provider-inbox.ts";
import type { MessageMedia } from "../messages/message.ts";
import { ProviderError, type ProviderDirectory } from "../providers/provider.ts";
import type { Store } from "../ports.ts";
import type { SecretSealer } from "../security.ts";

export interface MediaDownloadDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  providers: ProviderDirectory;
  sealer: SecretSealer;
  /** Stores bytes as an attachment of the workspace (media.usecases.ts `save`). */
  saveMedia(workspaceId: string, input: { bytes: Uint8Array; mime: string; filename: string | null }): Promise<MessageMedia>;
  /** Whether this node runs an inbox's WhatsApp Web session (its media can be had only there). */
  runsSession?(inboxId: string): boolean;
}

/**
 * The `media.download` job: fetches the media a customer sent from the provider, stores it
 * (sha256, MIME type and size recorded) and attaches it to the message, then re-broadcasts the
 * message as `message.received` so open inboxes show the preview (clients upsert by id). A
 * message whose media is attached already is skipped. A refusal that cannot succeed later is
 * recorded on the message (`attributes.mediaError`) rather than retried forever; passing faults
 * throw so the job queue retries. A WhatsApp Web message's media comes through its session, so
 * on a node that does not run it the download is handed to the session's queue (`routed`).
 */
export async function downloadInboundMedia(
  deps: MediaDownloadDependencies,
  job: { workspaceId: string; messageId: string },
): Promise<"attached" | "failed" | "skipped" | "routed"> {
  const message = await deps.store.messages.findById(job.workspaceId, job.messageId);
  const remoteMediaId = message?.attributes.remoteMediaId;
  if (!message || message.mediaId || !remoteMediaId) return "skipped";
  const found = await deps.store.inboxes.findWithConfig(message.inboxId);
  if (!found) return "skipped";
  const provider = deps.providers.forKind(found.inbox.provider);
  if (!provider.fetchMedia) return "skipped";
  if (found.inbox.provider === "whatsapp_web" && !deps.runsSession?.(found.inbox.id)) {
    await deps.store.jobs.schedule(
      "whatsapp.session",
      { inboxId: found.inbox.id, task: { kind: "media", workspaceId: message.workspaceId, messageId: message.id } },
      { singletonKey: `media:${message.id}` },
    );
    return "routed";
  }
  const inbox = openProviderInbox(found.inbox, found.config, deps.sealer);
  const { remoteMediaId: _done, remoteFilename, ...attributes } = message.attributes;
  try {
    const fetched = await provider.fetchMedia(inbox, remoteMediaId);
    const media = await deps.saveMedia(message.workspaceId, { ...fetched, filename: fetched.filename ?? remoteFilename ?? null });
    const updated = await deps.store.messages.attachMedia(message.workspaceId, message.id, media.id, attributes, deps.clock.now());
    if (updated) await deps.events.publish([{ type: "message.received", workspaceId: message.workspaceId, message: updated }]);
    return "attached";
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retry === "later") throw error;
    const updated = await deps.store.messages.attachMedia(message.workspaceId, message.id, null, { ...attributes, mediaError: error.reason }, deps.clock.now());
    if (updated) await deps.events.publish([{ type: "message.received", workspaceId: message.workspaceId, message: updated }]);
    return "failed";
  }
}
