/**
 * The initial chat sync of a WhatsApp Web inbox (ARCHITECTURE.md, "Initial chat sync"): at most
 * `maxChats` chats active in the last `syncWindowDays`, the last `messagesPerChat` messages of
 * each, in batches of `chatsPerBatch` chats as durable jobs, at most `chatsPerSecond` chats read
 * from WhatsApp, progress (`total`, `synced`, `status`) stored on the inbox and broadcast as
 * `sync.progress`. Everything goes through the inbound pipeline (history-import.ts), so running
 * it again creates no duplicate contact, group, conversation or message.
 */
import type { InboxSync } from "../inboxes/inbox.ts";
import type { WhatsAppEngine } from "./engine.ts";
import { type HistoryLimits, historyEventsOf, historyImporter } from "./history-import.ts";
import type { SessionEventDependencies } from "./session-events.ts";

export interface SyncSettings extends HistoryLimits {
  chatsPerBatch: number;
  chatsPerSecond: number;
}

/** The seeds' figures; 500 events a transaction: ten chats of 50 messages, one transaction a second when paced. */
export const defaultSyncSettings: SyncSettings = {
  maxChats: 500,
  syncWindowDays: 30,
  messagesPerChat: 50,
  chatsPerBatch: 50,
  chatsPerSecond: 10,
  eventsPerTransaction: 500,
};

export interface SyncDependencies extends SessionEventDependencies {
  /** The engine of a session running on this node, or null. */
  engineFor(inboxId: string): WhatsAppEngine | null;
  /** Waits `ms` (the pacing); injectable so tests need not wait. */
  sleep?(ms: number): Promise<void>;
}

/**
 * One batch of the sync, from chat `offset` (the first batch counts the chats and marks the sync
 * running). Returns `next` when chats remain (schedule the next batch), `done` when the sync is
 * complete (or the inbox is gone), `not_here` when the session does not run on this node (try
 * again later, or on its owner). Rethrows the engine's and the database's errors (the job is retried).
 */
export async function syncChatBatch(
  deps: SyncDependencies,
  job: { inboxId: string; offset: number },
  settings: SyncSettings = defaultSyncSettings,
): Promise<"next" | "done" | "not_here"> {
  const found = await deps.store.inboxes.findWithConfig(job.inboxId);
  // A deleted inbox has nothing left to sync.
  if (!found) return "done";
  const engine = deps.engineFor(job.inboxId);
  if (!engine) return "not_here";
  const inbox = found.inbox;
  const since = new Date(deps.clock.now().getTime() - settings.syncWindowDays * 24 * 60 * 60 * 1000);
  // Newest first, so a batch boundary moves little when new chats appear during the sync.
  const chats = await engine.listChats({ since, limit: settings.maxChats });
  const total = chats.length;
  const batch = chats.slice(job.offset, job.offset + settings.chatsPerBatch);
  if (job.offset === 0) await record(deps, inbox.id, inbox.workspaceId, { status: total === 0 ? "completed" : "running", total, synced: 0 });
  const wait = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const minimumMs = 1000 / settings.chatsPerSecond;
  const importer = historyImporter(deps, inbox, settings.eventsPerTransaction);
  // Reads start at least `minimumMs` apart by the injected clock (tests drive it with `sleep`);
  // writing the chats read so far fills that time.
  let nextReadAt = 0;
  for (const chat of batch) {
    const delay = nextReadAt - deps.clock.now().getTime();
    if (delay > 0) await wait(delay);
    nextReadAt = deps.clock.now().getTime() + minimumMs;
    const messages = await engine.fetchMessages(chat.jid, settings.messagesPerChat);
    await importer.add(historyEventsOf(chat, messages, deps.clock.now()));
  }
  await importer.finish();
  const synced = Math.min(total, job.offset + batch.length);
  const done = synced >= total;
  if (total > 0) await record(deps, inbox.id, inbox.workspaceId, { status: done ? "completed" : "running", total, synced });
  return done ? "done" : "next";
}

/** Marks the sync failed (the session never came back to run it). */
export async function failSync(deps: SessionEventDependencies, inboxId: string): Promise<void> {
  const found = await deps.store.inboxes.findWithConfig(inboxId);
  if (!found) return;
  const current = found.inbox.sync ?? { status: "pending", total: 0, synced: 0 };
  await record(deps, inboxId, found.inbox.workspaceId, { ...current, status: "failed" });
}

async function record(deps: SessionEventDependencies, inboxId: string, workspaceId: string, sync: InboxSync): Promise<void> {
  await deps.store.inboxes.updateSync(inboxId, sync);
  await deps.events.publish([{ type: "sync.progress", workspaceId, inboxId, sync }]);
}
