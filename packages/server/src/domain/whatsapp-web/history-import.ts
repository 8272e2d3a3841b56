/**
 * Chats imported as history, whether the initial sync read them from the engine or the phone
 * pushed them (Baileys' `messaging-history.set`, the engine port's `history` event): each chat's
 * group first, then its messages marked as history, through the inbound pipeline several chats
 * per transaction (one transaction per chat made a 500-chat sync mostly round trips). The
 * pipeline skips messages it already has, so a chat imported twice, or by the sync and a push
 * alike, adds nothing.
 */
import type { Inbox } from "../inboxes/inbox.ts";
import { type InboundDependencies, type InboundOutcome, receiveInbound } from "../messages/receive-inbound.ts";
import type { InboundEvent } from "../providers/inbound.ts";
import type { EngineChat, EngineEvent, EngineMessage } from "./engine.ts";
import { isGroupJid } from "./jid.ts";
import { inboundMessageOf } from "./session-events.ts";

/** What an import takes from WhatsApp (ARCHITECTURE.md, "Initial chat sync"). */
export interface HistoryLimits {
  /** Chats imported at most (the most recently active). */
  maxChats: number;
  /** Only chats with a message in this many days. */
  syncWindowDays: number;
  /** A chat's last this many messages. */
  messagesPerChat: number;
  /** Events (messages and group updates) applied per transaction, about: whole chats, never split. */
  eventsPerTransaction: number;
}

/** A chat's events for the pipeline: its group (subject, members when known), then its messages as history. */
export function historyEventsOf(chat: EngineChat, messages: EngineMessage[], at: Date): InboundEvent[] {
  const events: InboundEvent[] = [];
  if (chat.isGroup) events.push({ kind: "group", jid: chat.jid, subject: chat.name, ...(chat.participants ? { participants: chat.participants } : {}), at });
  for (const message of messages) {
    const mapped = inboundMessageOf(message, true);
    if (mapped) events.push(mapped);
  }
  return events;
}

/**
 * Collects chats' events and applies them through `receiveInbound`, a transaction each time
 * about `eventsPerTransaction` have gathered (a chat's events always in one transaction), and
 * broadcasts after each commit. `finish` applies the rest and returns what all of it did.
 * Rethrows the database's errors; what was committed before stays.
 */
export function historyImporter(deps: InboundDependencies, inbox: Pick<Inbox, "id" | "workspaceId">, eventsPerTransaction: number) {
  let pending: InboundEvent[] = [];
  const total: InboundOutcome = { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0 };
  const flush = async () => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    const outcome = await receiveInbound(deps, inbox, events);
    total.stored += outcome.stored;
    total.duplicates += outcome.duplicates;
    total.statusChanges += outcome.statusChanges;
    total.ignored += outcome.ignored;
  };
  return {
    /** Adds one chat's events (`historyEventsOf`); applies the gathered ones once there are enough. */
    async add(events: InboundEvent[]): Promise<void> {
      for (const event of events) pending.push(event);
      if (pending.length >= eventsPerTransaction) await flush();
    },
    async finish(): Promise<InboundOutcome> {
      await flush();
      return { ...total };
    },
  };
}

/**
 * Imports a chunk of history the phone pushed (`history` engine event) within the sync's
 * limits: of the pushed chats active in the last `syncWindowDays` (by their last message, in
 * the push or as the engine knew it), the `maxChats` most recent, each with its last
 * `messagesPerChat` pushed messages. Messages of chats the push did not list are taken by their
 * chat. Leaves the sync's progress alone: a push is extra history, before, during or after the
 * sync. Rethrows the database's errors.
 */
export async function importHistoryPush(
  deps: InboundDependencies,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  push: Omit<Extract<EngineEvent, { type: "history" }>, "type">,
  limits: HistoryLimits,
): Promise<InboundOutcome> {
  const now = deps.clock.now();
  const since = now.getTime() - limits.syncWindowDays * 24 * 60 * 60 * 1000;
  const messagesOf = new Map<string, EngineMessage[]>();
  for (const message of push.messages) {
    const list = messagesOf.get(message.chat);
    if (list) list.push(message);
    else messagesOf.set(message.chat, [message]);
  }
  const chats = new Map(push.chats.map((chat) => [chat.jid, chat]));
  for (const jid of messagesOf.keys()) if (!chats.has(jid)) chats.set(jid, { jid, name: null, isGroup: isGroupJid(jid), lastMessageAt: null });
  const active = [...chats.values()]
    .map((chat) => {
      const lastAt = (messagesOf.get(chat.jid) ?? []).reduce(
        (latest, message) => Math.max(latest, message.sentAt.getTime()),
        chat.lastMessageAt?.getTime() ?? 0,
      );
      return { chat, lastAt };
    })
    .filter(({ lastAt }) => lastAt >= since)
    .sort((a, b) => b.lastAt - a.lastAt)
    .slice(0, limits.maxChats);
  const importer = historyImporter(deps, inbox, limits.eventsPerTransaction);
  for (const { chat } of active) {
    const messages = (messagesOf.get(chat.jid) ?? []).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime()).slice(-limits.messagesPerChat);
    await importer.add(historyEventsOf(chat, limits.messagesPerChat > 0 ? messages : [], now));
  }
  return importer.finish();
}
