/**
 * The simulated network's memory of messages: every message by id, each chat's messages in
 * order, and who exchanged private messages with whom. Lookups are by key (a chat, a person),
 * never a scan of every message, so a 10,000-recipient campaign costs the same per send at the
 * end as at the start.
 */
import { type SimulatedMessage, isGroup, threadKey } from "./wire.ts";

export class MessageLog {
  private readonly messages = new Map<string, SimulatedMessage>();
  /** Messages by chat (`threadKey`), oldest first: the sync reads a chat without scanning every message. */
  private readonly threads = new Map<string, SimulatedMessage[]>();
  /** The people each person exchanged private messages with, in the order they first did. */
  private readonly peers = new Map<string, Set<string>>();

  /** Keeps a message just sent. */
  add(message: SimulatedMessage): void {
    this.messages.set(message.id, message);
    const key = threadKey(message.sender, message.chat);
    const thread = this.threads.get(key);
    if (thread) thread.push(message);
    else this.threads.set(key, [message]);
    if (isGroup(message.chat)) return;
    for (const [person, other] of [
      [message.sender, message.chat],
      [message.chat, message.sender],
    ] as const) {
      const known = this.peers.get(person) ?? new Set<string>();
      known.add(other);
      this.peers.set(person, known);
    }
  }

  /** A message by its id. */
  get(messageId: string): SimulatedMessage | undefined {
    return this.messages.get(messageId);
  }

  /** The messages of `account`'s chat `chat` (a person's or a group's JID), oldest first; the log's own array, not a copy. */
  thread(account: string, chat: string): readonly SimulatedMessage[] {
    return this.threads.get(threadKey(account, chat)) ?? [];
  }

  /** The people `person` exchanged private messages with, in the order they first did. */
  peersOf(person: string): Iterable<string> {
    return this.peers.get(person) ?? [];
  }
}
