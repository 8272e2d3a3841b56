/**
 * Who is typing to whom on the simulated network, and the phones watching it: a person's phone
 * shows "typing…" while someone in one of their chats composes, until that person pauses or
 * their message arrives (as WhatsApp clears the indicator when the message lands).
 */
import { type ChatState, chatSeenBy, isGroup, type PhoneEvent, type SimulatedMessage } from "./wire.ts";

export class PhoneWatchers {
  private readonly watchers = new Map<string, Set<(event: PhoneEvent) => void>>();
  /** `${from}>${chat}` of everyone composing now (`chat` as the network keeps it: the other person, or the group). */
  private readonly composing = new Set<string>();

  /** Calls `listener` with what `person`'s phone shows from now on; returns the unsubscribe. */
  watch(person: string, listener: (event: PhoneEvent) => void): () => void {
    const listeners = this.watchers.get(person) ?? new Set();
    listeners.add(listener);
    this.watchers.set(person, listeners);
    return () => listeners.delete(listener);
  }

  /** `from` starts or stops composing in `chat` (a person's or group's JID); `audience` are the chat's other members. */
  chatState(from: string, chat: string, state: ChatState, audience: string[]): void {
    const key = `${from}>${chat}`;
    if (state === "composing") this.composing.add(key);
    else this.composing.delete(key);
    const at = new Date();
    for (const person of audience) this.show(person, { type: "chat_state", chat: isGroup(chat) ? chat : from, from, state, at });
  }

  /** A message reached `recipients` (the sender excluded): their phones show it, and the sender's "typing…" ends there. */
  delivered(message: SimulatedMessage, recipients: string[]): void {
    for (const person of recipients) this.show(person, { type: "message", message: { ...message, chat: chatSeenBy(person, message) } });
    if (this.composing.has(`${message.sender}>${message.chat}`)) this.chatState(message.sender, message.chat, "paused", recipients);
  }

  private show(person: string, event: PhoneEvent): void {
    for (const listener of this.watchers.get(person) ?? []) listener(event);
  }
}
