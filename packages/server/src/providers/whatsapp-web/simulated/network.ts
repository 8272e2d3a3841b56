/**
 * A simulated WhatsApp: people with phones, business accounts with linked devices, chats and
 * groups, in memory. It is the far side of the sandbox engine (a newcomer's phone in the browser)
 * and of the tests, and behaves as WhatsApp does where Parley can tell: a device links by
 * scanning a QR that rotates until scanned (or by a pairing code), resumes with its stored
 * credentials without a QR, receives what arrived while it was offline when it reconnects, sees
 * what the owner sends from the phone as its own messages, and gets acks: server (`sent`) at
 * once, `delivered` when the recipient's phone gets it, `read` when they read it. Unlinking from
 * the phone logs the device out. A newly linked device hears the history the phone pushes
 * (the newest `initialHistoryChats` chats at once, more with `pushHistory`, in chunks, as
 * WhatsApp's phone does after a link). Nothing here touches the network or the clock beyond timers.
 *
 * People show "typing…" (`chatState`) to the others in a chat until they pause or their
 * message arrives; `watchPhone` shows what a person's phone shows (phone-watchers.ts).
 *
 * What travels is in wire.ts, linking in link-requests.ts, the messages in message-log.ts,
 * groups in groups.ts and history pushes in history.ts; this file routes between them.
 */
import { randomBytes } from "node:crypto";
import { applyGroupChange, type Group, newGroupJid, participantsOf } from "./groups.ts";
import { accountChats, historyPush, newestChats } from "./history.ts";
import { type LinkRequest, LinkRequests } from "./link-requests.ts";
import { MessageLog } from "./message-log.ts";
import { PhoneWatchers } from "./phone-watchers.ts";
import {
  type ChatState,
  chatSeenBy,
  type DeviceConnection,
  type DeviceEvent,
  type HistoryPush,
  isGroup,
  newMessageId,
  personJid,
  type PhoneEvent,
  type SimulatedChat,
  type SimulatedContent,
  type SimulatedMessage,
} from "./wire.ts";

export type { ChatState, DeviceConnection, DeviceEvent, HistoryPush, PhoneEvent, SimulatedChat, SimulatedContent, SimulatedMessage } from "./wire.ts";

interface Account {
  jid: string;
  name: string | null;
  /** Credentials of the devices linked to it. */
  devices: Set<string>;
}

export interface SimulatedWhatsAppOptions {
  /** How often an unscanned QR is replaced, in ms (WhatsApp: about 20 s). */
  qrRefreshMs?: number;
  /** How many of its newest chats the phone pushes to a device it just linked (default all); `pushHistory` sends more. */
  initialHistoryChats?: number;
}

/** The simulated network. One per sandbox or test; `close()` stops its timers. */
export class SimulatedWhatsApp {
  private readonly accounts = new Map<string, Account>();
  private readonly groups = new Map<string, Group>();
  private readonly log = new MessageLog();
  private readonly phones = new PhoneWatchers();
  /** Devices linked but not connected yet: the phone pushes them the initial history once they connect. */
  private readonly awaitingHistory = new Set<string>();
  /** Connected devices by credentials. */
  private readonly connected = new Map<string, { account: string; listener: (event: DeviceEvent) => void }>();
  /** What arrived for an account while none of its devices was connected. */
  private readonly offline = new Map<string, DeviceEvent[]>();
  private readonly links: LinkRequests;
  private readonly initialHistoryChats: number;

  constructor(options: SimulatedWhatsAppOptions = {}) {
    this.links = new LinkRequests(options.qrRefreshMs ?? 20_000, (phoneE164, listener) => this.link(this.addPerson(phoneE164), listener));
    this.initialHistoryChats = options.initialHistoryChats ?? Number.POSITIVE_INFINITY;
  }

  /** Registers a WhatsApp user (a customer, or the business's own number). Returns the JID. */
  addPerson(e164: string, name: string | null = null): string {
    const jid = personJid(e164);
    if (!this.accounts.has(jid)) this.accounts.set(jid, { jid, name, devices: new Set() });
    return jid;
  }

  /**
   * A device asks to link: it hears `qr` codes (a new one every `qrRefreshMs`) until a phone
   * scans one (`scan`) or enters its pairing code, then `linked` with its credentials.
   */
  requestLink(listener: (event: DeviceEvent) => void): LinkRequest {
    return this.links.request(listener);
  }

  /** The business's phone scans a QR shown by a device: links it to `phoneE164`'s account. Throws for an unknown or stale code. */
  scan(phoneE164: string, code: string): void {
    this.links.scan(phoneE164, code);
  }

  /** The business's phone enters a pairing code a device requested for this number. */
  enterPairingCode(phoneE164: string, code: string): void {
    this.links.enterPairingCode(phoneE164, code);
  }

  /**
   * A linked device connects with its credentials: resolves with its connection, or null when the
   * credentials were unlinked (logged out). Messages that arrived while it was offline follow.
   */
  connect(credentials: string, listener: (event: DeviceEvent) => void): DeviceConnection | null {
    const account = [...this.accounts.values()].find((candidate) => candidate.devices.has(credentials));
    if (!account) return null;
    const previous = this.connected.get(credentials);
    if (previous) previous.listener({ type: "closed", reason: "replaced" });
    this.connected.set(credentials, { account: account.jid, listener });
    const waiting = this.offline.get(account.jid) ?? [];
    this.offline.delete(account.jid);
    const firstConnection = this.awaitingHistory.delete(credentials);
    queueMicrotask(() => {
      for (const event of waiting) listener(event);
      // After the link the phone sends its newest chats first; the rest may follow in later chunks.
      if (firstConnection) {
        const chats = this.accountChats(account.jid);
        const newest = newestChats(chats, this.initialHistoryChats);
        listener(historyPush(this.log, account.jid, "initial", chats.length === 0 ? 100 : Math.round((100 * newest.length) / chats.length), newest));
      }
    });
    return {
      account: () => (this.connected.get(credentials)?.listener === listener ? account.jid : null),
      close: () => {
        if (this.connected.get(credentials)?.listener === listener) this.connected.delete(credentials);
      },
    };
  }

  /** The business's phone unlinks every device (Settings → Linked devices → Log out). */
  unlinkDevices(phoneE164: string): void {
    const account = this.accounts.get(personJid(phoneE164));
    if (!account) return;
    for (const credentials of account.devices) this.dropDevice(credentials, "logged_out");
    account.devices.clear();
  }

  /** A device logs itself out (its credentials stop working). */
  logoutDevice(credentials: string): void {
    for (const account of this.accounts.values()) account.devices.delete(credentials);
    this.dropDevice(credentials, "logged_out");
  }

  /** The connection of a device drops (network trouble): it hears `closed` `connection_lost`. */
  dropConnection(credentials: string): void {
    this.dropDevice(credentials, "connection_lost");
  }

  /** The credentials of every device linked to an account (tests reach devices through them). */
  devicesOf(phoneE164: string): string[] {
    return [...(this.accounts.get(personJid(phoneE164))?.devices ?? [])];
  }

  /**
   * `from` sends to `to` (a person's E.164 number or a group JID). `from` may be the business's
   * own number: that is the owner writing on the phone, seen by its devices as their own.
   * Returns the message.
   */
  send(fromE164: string, to: string, content: Partial<SimulatedContent> & { body?: string | null }): SimulatedMessage {
    const sender = this.addPerson(fromE164);
    const target = isGroup(to) ? to : this.addPerson(to);
    const message: SimulatedMessage = {
      id: newMessageId(),
      chat: target,
      sender,
      senderName: this.accounts.get(sender)?.name ?? null,
      sentAt: new Date(),
      type: content.type ?? "text",
      body: content.body ?? null,
      media: content.media ?? null,
      location: content.location ?? null,
      contacts: content.contacts ?? null,
      quotedId: content.quotedId ?? null,
      revoked: false,
      editedBody: null,
    };
    this.log.add(message);
    const recipients = this.recipientsOf(message);
    for (const recipient of recipients) {
      // Seen from a recipient, a private chat is named after the other person.
      this.deliver(recipient, { type: "message", message: { ...message, chat: chatSeenBy(recipient, message) }, fromMe: recipient === sender });
    }
    this.phones.delivered(
      message,
      recipients.filter((recipient) => recipient !== sender),
    );
    // The sender's own devices hear the server ack, then delivery when the recipient's phone has it.
    this.deliver(sender, { type: "ack", chat: target, messageId: message.id, status: "sent", at: new Date() });
    if (!isGroup(target)) this.deliver(sender, { type: "ack", chat: target, messageId: message.id, status: "delivered", at: new Date() });
    return message;
  }

  /** `reader` (a person) reads a message they received: its sender's devices see `read`. */
  read(readerE164: string, messageId: string): void {
    const message = this.requireMessage(messageId);
    const reader = personJid(readerE164);
    const chat = isGroup(message.chat) ? message.chat : reader;
    this.deliver(message.sender, { type: "ack", chat, messageId, status: "read", at: new Date() });
  }

  /** The sender deletes a message for everyone. */
  revoke(messageId: string): void {
    const message = this.requireMessage(messageId);
    message.revoked = true;
    this.fanOut(message, (chat) => ({ type: "revoke", chat, messageId, at: new Date() }));
  }

  /** The sender edits a text message. */
  edit(messageId: string, body: string): void {
    const message = this.requireMessage(messageId);
    message.editedBody = body;
    this.fanOut(message, (chat) => ({ type: "edit", chat, messageId, body, at: new Date() }));
  }

  /** Creates a group; returns its JID. `admins` are among `participants` (E.164 numbers). */
  createGroup(subject: string, participants: string[], admins: string[] = []): string {
    const group: Group = { jid: newGroupJid(), subject, participants: new Map() };
    for (const phone of participants) group.participants.set(this.addPerson(phone), { isAdmin: admins.includes(phone) });
    this.groups.set(group.jid, group);
    this.groupEvent(group, "created", []);
    return group.jid;
  }

  /** Someone joins or leaves a group, or is promoted or demoted. */
  changeGroup(jid: string, change: "joined" | "left" | "promoted" | "demoted", phoneE164: string): void {
    const group = this.groups.get(jid);
    if (!group) throw new Error(`No group ${jid}.`);
    const person = this.addPerson(phoneE164);
    // The one who left still hears that they left.
    const before = new Set(group.participants.keys());
    applyGroupChange(group, change, person);
    this.groupEvent(group, change, [person], before);
  }

  /**
   * `from` (E.164) starts (`composing`) or stops (`paused`) "typing…" in the chat with `to` (a
   * person's E.164 number or a group JID): the others in the chat see it on their phones
   * (`watchPhone`) until `from` pauses or sends there.
   */
  chatState(fromE164: string, to: string, state: ChatState): void {
    const from = this.addPerson(fromE164);
    const chat = isGroup(to) ? to : this.addPerson(to);
    const audience = isGroup(chat) ? [...(this.groups.get(chat)?.participants.keys() ?? [])] : [chat];
    this.phones.chatState(
      from,
      chat,
      state,
      audience.filter((person) => person !== from),
    );
  }

  /** What `personE164`'s phone shows from now on: messages arriving, and who is typing to them. Returns the unsubscribe. */
  watchPhone(personE164: string, listener: (event: PhoneEvent) => void): () => void {
    return this.phones.watch(this.addPerson(personE164), listener);
  }

  /** A message by its id (as first sent: `revoked` and `editedBody` say what became of it). */
  message(messageId: string): SimulatedMessage | undefined {
    return this.log.get(messageId);
  }

  /** Messages of a chat as the business sees it, oldest first (the sync reads them). */
  history(accountE164: string, chat: string): SimulatedMessage[] {
    return [...this.log.thread(personJid(accountE164), chat)];
  }

  /** Chats of an account: the people it exchanged messages with, and its groups. */
  chatsOf(accountE164: string): SimulatedChat[] {
    return this.accountChats(personJid(accountE164));
  }

  /**
   * The phone pushes a chunk of history to the account's connected devices (Baileys hears it as
   * `messaging-history.set`): `chats` (JIDs; default every chat of the account) with all their
   * messages. Pushing the same chats again sends the same messages again, as a phone may.
   */
  pushHistory(accountE164: string, options: { chats?: string[]; kind?: HistoryPush["kind"]; progress?: number | null } = {}): void {
    const account = personJid(accountE164);
    const all = this.accountChats(account);
    const chats = options.chats ? all.filter((chat) => options.chats!.includes(chat.jid)) : all;
    this.deliver(account, historyPush(this.log, account, options.kind ?? "recent", options.progress ?? null, chats));
  }

  /** Stops the QR timers. */
  close(): void {
    this.links.close();
  }

  private accountChats(account: string): SimulatedChat[] {
    return accountChats(this.log, this.groups.values(), (jid) => this.accounts.get(jid)?.name ?? null, account);
  }

  /** Completes a link: a new device of `account`, which hears its credentials. */
  private link(account: string, listener: (event: DeviceEvent) => void): void {
    const credentials = `sandbox-device:${randomBytes(16).toString("hex")}`;
    this.accounts.get(account)!.devices.add(credentials);
    this.awaitingHistory.add(credentials);
    listener({ type: "linked", credentials, account });
  }

  private dropDevice(credentials: string, reason: "logged_out" | "connection_lost"): void {
    const connection = this.connected.get(credentials);
    this.connected.delete(credentials);
    connection?.listener({ type: "closed", reason });
  }

  private requireMessage(messageId: string): SimulatedMessage {
    const message = this.log.get(messageId);
    if (!message) throw new Error(`No message ${messageId}.`);
    return message;
  }

  private recipientsOf(message: SimulatedMessage): string[] {
    if (isGroup(message.chat)) return [...(this.groups.get(message.chat)?.participants.keys() ?? [])];
    return [message.chat, message.sender];
  }

  private fanOut(message: SimulatedMessage, event: (chat: string) => DeviceEvent): void {
    for (const recipient of this.recipientsOf(message)) this.deliver(recipient, event(chatSeenBy(recipient, message)));
  }

  private groupEvent(
    group: Group,
    change: Extract<DeviceEvent, { type: "group" }>["change"],
    participants: string[],
    audience = new Set(group.participants.keys()),
  ): void {
    const snapshot = { jid: group.jid, subject: group.subject, participants: participantsOf(group) };
    for (const member of new Set([...audience, ...group.participants.keys()])) this.deliver(member, { type: "group", group: snapshot, change, participants });
  }

  /** To every connected device of an account, or kept until one connects. */
  private deliver(accountJid: string, event: DeviceEvent): void {
    const devices = [...this.connected.values()].filter((device) => device.account === accountJid);
    if (devices.length === 0) {
      // Only accounts with linked devices keep a backlog (customers' phones are always online).
      if ((this.accounts.get(accountJid)?.devices.size ?? 0) > 0) this.offline.set(accountJid, [...(this.offline.get(accountJid) ?? []), event]);
      return;
    }
    for (const device of devices) device.listener(event);
  }
}
