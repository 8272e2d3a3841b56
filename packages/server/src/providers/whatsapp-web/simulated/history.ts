/**
 * An account's chats and the history pushes its phone sends to a linked device (Baileys hears
 * them as `messaging-history.set`), read from the network's message log and groups.
 */
import { type Group, participantsOf } from "./groups.ts";
import type { MessageLog } from "./message-log.ts";
import type { HistoryPush, SimulatedChat } from "./wire.ts";

/** Chats of `account`: the people it exchanged messages with, then its groups. `nameOf` gives a person's name. */
export function accountChats(log: MessageLog, groups: Iterable<Group>, nameOf: (jid: string) => string | null, account: string): SimulatedChat[] {
  const lastAt = (chat: string) => log.thread(account, chat).at(-1)?.sentAt ?? null;
  const memberOf = [...groups].filter((group) => group.participants.has(account));
  return [
    ...[...log.peersOf(account)].map((jid) => ({ jid, name: nameOf(jid), isGroup: false, lastMessageAt: lastAt(jid) })),
    ...memberOf.map((group) => ({ jid: group.jid, name: group.subject, isGroup: true, participants: participantsOf(group), lastMessageAt: lastAt(group.jid) })),
  ];
}

/** The `count` chats with the newest messages, newest first. */
export function newestChats(chats: SimulatedChat[], count: number): SimulatedChat[] {
  return [...chats].sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0)).slice(0, count);
}

/** A history push of `chats` with all their messages, as `account` sees them. */
export function historyPush(log: MessageLog, account: string, kind: HistoryPush["kind"], progress: number | null, chats: SimulatedChat[]): HistoryPush {
  const messages = chats.flatMap((chat) =>
    log.thread(account, chat.jid).map((message) => ({
      message: { ...message, chat: chat.jid },
      fromMe: message.sender === account,
    })),
  );
  return { type: "history", kind, progress, chats, messages };
}
