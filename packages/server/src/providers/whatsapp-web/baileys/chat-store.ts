/**
 * The chats and recent messages of one Baileys session, in memory. Baileys keeps no chat store
 * of its own (its `makeInMemoryStore` is gone in 7.0), yet the initial sync asks the engine for
 * recent chats and their last messages: the engine feeds this store from `messaging-history.set`
 * (what the phone pushes after linking), `groups.upsert` and every message it hears, and answers
 * from it (`mediaOf` too, by message id). Bounded: the last `messagesPerChat` messages of each
 * chat.
 */
import type { WAMessage } from "baileys";
import type { EngineChat, EngineGroupParticipant, EngineMessage } from "../../../domain/whatsapp-web/engine.ts";
import { isGroupJid } from "../../../domain/whatsapp-web/jid.ts";

interface StoredChat {
  jid: string;
  name: string | null;
  lastMessageAt: Date | null;
  participants: EngineGroupParticipant[] | undefined;
}

interface StoredMessage {
  message: EngineMessage;
  /** Baileys' own message: quoting and reacting need its key and content. */
  raw: WAMessage;
}

export class ChatStore {
  private readonly chats = new Map<string, StoredChat>();
  private readonly messages = new Map<string, StoredMessage[]>();
  /** The chat of each stored message, by message id (media is looked up by id alone). */
  private readonly chatOfMessage = new Map<string, string>();

  constructor(private readonly messagesPerChat = 200) {}

  /** Names a chat (a group's subject, a contact's name) without touching its messages. */
  upsertChat(jid: string, details: { name?: string | null; participants?: EngineGroupParticipant[]; lastMessageAt?: Date | null }): void {
    const chat = this.chat(jid);
    if (details.name) chat.name = details.name;
    if (details.participants) chat.participants = details.participants;
    if (details.lastMessageAt && (!chat.lastMessageAt || details.lastMessageAt > chat.lastMessageAt)) chat.lastMessageAt = details.lastMessageAt;
  }

  /** Adds or replaces a message (by id) in its chat, kept in time order. */
  addMessage(message: EngineMessage, raw: WAMessage): void {
    const chat = this.chat(message.chat);
    if (!message.fromMe && !isGroupJid(message.chat) && message.senderName && !chat.name) chat.name = message.senderName;
    if (!chat.lastMessageAt || message.sentAt > chat.lastMessageAt) chat.lastMessageAt = message.sentAt;
    const list = this.messages.get(message.chat) ?? [];
    const at = list.findIndex((stored) => stored.message.id === message.id);
    if (at >= 0) list.splice(at, 1);
    let index = list.length;
    while (index > 0 && list[index - 1]!.message.sentAt > message.sentAt) index--;
    list.splice(index, 0, { message, raw });
    this.chatOfMessage.set(message.id, message.chat);
    if (list.length > this.messagesPerChat) {
      for (const dropped of list.splice(0, list.length - this.messagesPerChat)) this.chatOfMessage.delete(dropped.message.id);
    }
    this.messages.set(message.chat, list);
  }

  /** A stored message by id alone, whichever its chat. */
  find(messageId: string): EngineMessage | undefined {
    const chat = this.chatOfMessage.get(messageId);
    return chat === undefined ? undefined : this.messages.get(chat)?.find((stored) => stored.message.id === messageId)?.message;
  }

  /** Changes a stored message (an edit, a delete for everyone). */
  updateMessage(chat: string, messageId: string, change: Partial<EngineMessage>): void {
    const stored = this.messages.get(chat)?.find((candidate) => candidate.message.id === messageId);
    if (stored) stored.message = { ...stored.message, ...change };
  }

  /** Baileys' message by id, when the session heard it. */
  raw(chat: string, messageId: string): WAMessage | undefined {
    return this.messages.get(chat)?.find((stored) => stored.message.id === messageId)?.raw;
  }

  participants(jid: string): EngineGroupParticipant[] | undefined {
    return this.chats.get(jid)?.participants;
  }

  name(jid: string): string | null {
    return this.chats.get(jid)?.name ?? null;
  }

  /** Chats with a message since `since`, newest first, at most `limit`. */
  listChats(since: Date, limit: number): EngineChat[] {
    return [...this.chats.values()]
      .filter((chat) => chat.lastMessageAt !== null && chat.lastMessageAt >= since)
      .sort((a, b) => b.lastMessageAt!.getTime() - a.lastMessageAt!.getTime())
      .slice(0, limit)
      .map((chat) => this.engineChatOf(chat));
  }

  /** A chat as the engine port words it (created, unnamed, when unknown). */
  describe(jid: string): EngineChat {
    return this.engineChatOf(this.chat(jid));
  }

  /** A chat's last `limit` messages, oldest first. */
  lastMessages(chat: string, limit: number): EngineMessage[] {
    if (limit <= 0) return [];
    return (this.messages.get(chat) ?? []).slice(-limit).map((stored) => stored.message);
  }

  private engineChatOf(chat: StoredChat): EngineChat {
    return {
      jid: chat.jid,
      name: chat.name,
      isGroup: isGroupJid(chat.jid),
      lastMessageAt: chat.lastMessageAt,
      ...(chat.participants ? { participants: chat.participants } : {}),
    };
  }

  private chat(jid: string): StoredChat {
    let chat = this.chats.get(jid);
    if (!chat) {
      chat = { jid, name: null, lastMessageAt: null, participants: undefined };
      this.chats.set(jid, chat);
    }
    return chat;
  }
}
