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
 */
import { randomBytes, randomInt } from "node:crypto";
import type { EngineEvent, EngineGroupParticipant, EngineMessage } from "../../../domain/whatsapp-web/engine.ts";

/** What a message carries on the simulated wire (the engine maps it to `EngineMessage`). */
export type SimulatedContent = Pick<EngineMessage, "type" | "body" | "location" | "contacts" | "quotedId"> & {
  media: { mime: string; filename: string | null; bytes: Uint8Array } | null;
};

/** A message as the network keeps it. */
export interface SimulatedMessage extends SimulatedContent {
  id: string;
  /** A person's JID for a private chat (seen from the business), or the group's JID. */
  chat: string;
  sender: string;
  senderName: string | null;
  sentAt: Date;
  revoked: boolean;
  editedBody: string | null;
}

/** What a linked device hears (the engine turns it into `EngineEvent`s). */
export type DeviceEvent =
  | { type: "qr"; code: string }
  /** `account`: the business account's JID the device is now linked to. */
  | { type: "linked"; credentials: string; account: string }
  | { type: "message"; message: SimulatedMessage; fromMe: boolean }
  // Acks, deletes, edits and group changes reach a device as the engine port words them.
  | Extract<EngineEvent, { type: "ack" | "revoke" | "edit" | "group" }>
  | HistoryPush
  | { type: "closed"; reason: "logged_out" | "connection_lost" | "replaced" };

/** A chat of an account, as its devices see it. */
export interface SimulatedChat {
  jid: string;
  name: string | null;
  isGroup: boolean;
  participants?: EngineGroupParticipant[];
  /** When its newest message was sent (null for a group nobody wrote in yet). */
  lastMessageAt: Date | null;
}

/**
 * A chunk of history the phone pushes to a linked device: `initial` right after the link (the
 * newest chats), then `recent` and `full` chunks, `progress` in percent of the whole.
 */
export interface HistoryPush {
  type: "history";
  kind: "initial" | "recent" | "full";
  progress: number | null;
  chats: SimulatedChat[];
  /** The chats' messages, oldest first, `chat` as the account sees it. */
  messages: Array<{ message: SimulatedMessage; fromMe: boolean }>;
}

/** A device connected to the network on behalf of a business account. */
export interface DeviceConnection {
  /** The business account's JID, once linked. */
  account(): string | null;
  close(): void;
}

interface Account {
  jid: string;
  name: string | null;
  /** Credentials of the devices linked to it. */
  devices: Set<string>;
}

interface Group {
  jid: string;
  subject: string;
  participants: Map<string, { isAdmin: boolean }>;
}

interface PendingLink {
  codes: Set<string>;
  pairing: { phone: string; code: string } | null;
  listener: (event: DeviceEvent) => void;
  timer: NodeJS.Timeout | undefined;
}

const personJid = (e164: string) => `${e164.replace(/^\+/, "")}@s.whatsapp.net`;
const newMessageId = () => `3EB0${randomBytes(8).toString("hex").toUpperCase()}`;

export interface SimulatedWhatsAppOptions {
  /** How often an unscanned QR is replaced, in ms (WhatsApp: about 20 s). */
  qrRefreshMs?: number;
  /** How many of its newest chats the phone pushes to a device it just linked (default all); `pushHistory` sends more. */
  initialHistoryChats?: number;
}

/** Where a chat's messages are kept: a group by its JID, a private chat by its two people. */
const threadKey = (a: string, b: string) => (b.endsWith("@g.us") ? b : a < b ? `${a}|${b}` : `${b}|${a}`);

/** The simulated network. One per sandbox or test; `close()` stops its timers. */
export class SimulatedWhatsApp {
  private readonly accounts = new Map<string, Account>();
  private readonly groups = new Map<string, Group>();
  private readonly messages = new Map<string, SimulatedMessage>();
  /** Messages by chat (`threadKey`), oldest first: the sync reads a chat without scanning every message. */
  private readonly threads = new Map<string, SimulatedMessage[]>();
  /** The people each person exchanged private messages with, in the order they first did. */
  private readonly peers = new Map<string, Set<string>>();
  /** Devices linked but not connected yet: the phone pushes them the initial history once they connect. */
  private readonly awaitingHistory = new Set<string>();
  /** Connected devices by credentials. */
  private readonly connected = new Map<string, { account: string; listener: (event: DeviceEvent) => void }>();
  /** What arrived for an account while none of its devices was connected. */
  private readonly offline = new Map<string, DeviceEvent[]>();
  private readonly pendingLinks = new Set<PendingLink>();
  private readonly qrRefreshMs: number;
  private readonly initialHistoryChats: number;

  constructor(options: SimulatedWhatsAppOptions = {}) {
    this.qrRefreshMs = options.qrRefreshMs ?? 20_000;
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
  requestLink(listener: (event: DeviceEvent) => void): { requestPairingCode(phone: string): string; cancel(): void } {
    const pending: PendingLink = { codes: new Set(), pairing: null, listener, timer: undefined };
    const issue = () => {
      if (!this.pendingLinks.has(pending)) return;
      const code = `2@${randomBytes(24).toString("base64")},${randomBytes(16).toString("base64")}`;
      // Only the code on screen links: a photo of an older one does not.
      pending.codes.clear();
      pending.codes.add(code);
      listener({ type: "qr", code });
    };
    this.pendingLinks.add(pending);
    // The timer first: a phone may scan the very first code synchronously, ending the link
    // (and clearing this timer) before `issue` returns.
    pending.timer = setInterval(issue, this.qrRefreshMs);
    issue();
    return {
      requestPairingCode: (phone) => {
        const code = Array.from({ length: 8 }, () => "ABCDEFGHJKLMNPQRSTVWXYZ0123456789"[randomInt(33)]).join("");
        pending.pairing = { phone: personJid(phone), code };
        return code;
      },
      cancel: () => this.endLink(pending),
    };
  }

  /** The business's phone scans a QR shown by a device: links it to `phoneE164`'s account. Throws for an unknown or stale code. */
  scan(phoneE164: string, code: string): void {
    const pending = [...this.pendingLinks].find((link) => link.codes.has(code));
    if (!pending) throw new Error("This QR code is not valid any more: scan the one shown now.");
    this.link(pending, this.addPerson(phoneE164));
  }

  /** The business's phone enters a pairing code a device requested for this number. */
  enterPairingCode(phoneE164: string, code: string): void {
    const jid = personJid(phoneE164);
    const pending = [...this.pendingLinks].find((link) => link.pairing?.phone === jid && link.pairing.code === code);
    if (!pending) throw new Error("This pairing code is not valid for this number.");
    this.link(pending, this.addPerson(phoneE164));
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
        const newest = this.newestChats(chats, this.initialHistoryChats);
        listener(this.historyOf(account.jid, "initial", chats.length === 0 ? 100 : Math.round((100 * newest.length) / chats.length), newest));
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
    const target = to.endsWith("@g.us") ? to : this.addPerson(to);
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
    this.messages.set(message.id, message);
    this.addToThread(message);
    for (const recipient of this.recipientsOf(message)) {
      // Seen from a recipient, a private chat is named after the other person.
      const chat = target.endsWith("@g.us") ? target : recipient === sender ? target : sender;
      this.deliver(recipient, { type: "message", message: { ...message, chat }, fromMe: recipient === sender });
    }
    // The sender's own devices hear the server ack, then delivery when the recipient's phone has it.
    const senderChat = target;
    this.deliver(sender, { type: "ack", chat: senderChat, messageId: message.id, status: "sent", at: new Date() });
    if (!target.endsWith("@g.us")) this.deliver(sender, { type: "ack", chat: senderChat, messageId: message.id, status: "delivered", at: new Date() });
    return message;
  }

  /** `reader` (a person) reads a message they received: its sender's devices see `read`. */
  read(readerE164: string, messageId: string): void {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`No message ${messageId}.`);
    const reader = personJid(readerE164);
    const chat = message.chat.endsWith("@g.us") ? message.chat : reader;
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
    const jid = `1203630${randomInt(10 ** 9, 10 ** 10)}${randomInt(10 ** 4)}@g.us`;
    const group: Group = { jid, subject, participants: new Map() };
    for (const phone of participants) group.participants.set(this.addPerson(phone), { isAdmin: admins.includes(phone) });
    this.groups.set(jid, group);
    this.groupEvent(group, "created", []);
    return jid;
  }

  /** Someone joins or leaves a group, or is promoted or demoted. */
  changeGroup(jid: string, change: "joined" | "left" | "promoted" | "demoted", phoneE164: string): void {
    const group = this.groups.get(jid);
    if (!group) throw new Error(`No group ${jid}.`);
    const person = this.addPerson(phoneE164);
    // The one who left still hears that they left.
    const before = new Set(group.participants.keys());
    if (change === "joined") group.participants.set(person, { isAdmin: false });
    if (change === "left") group.participants.delete(person);
    if (change === "promoted" || change === "demoted") group.participants.set(person, { isAdmin: change === "promoted" });
    this.groupEvent(group, change, [person], before);
  }

  /** A message by its id (as first sent: `revoked` and `editedBody` say what became of it). */
  message(messageId: string): SimulatedMessage | undefined {
    return this.messages.get(messageId);
  }

  /** Messages of a chat as the business sees it, oldest first (the sync reads them). */
  history(accountE164: string, chat: string): SimulatedMessage[] {
    return [...(this.threads.get(threadKey(personJid(accountE164), chat)) ?? [])];
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
    this.deliver(account, this.historyOf(account, options.kind ?? "recent", options.progress ?? null, chats));
  }

  /** Stops the QR timers. */
  close(): void {
    for (const pending of this.pendingLinks) this.endLink(pending);
  }

  private accountChats(account: string): SimulatedChat[] {
    const lastAt = (chat: string) => this.threads.get(threadKey(account, chat))?.at(-1)?.sentAt ?? null;
    const groups = [...this.groups.values()].filter((group) => group.participants.has(account));
    return [
      ...[...(this.peers.get(account) ?? [])].map((jid) => ({ jid, name: this.accounts.get(jid)?.name ?? null, isGroup: false, lastMessageAt: lastAt(jid) })),
      ...groups.map((group) => ({ jid: group.jid, name: group.subject, isGroup: true, participants: participantsOf(group), lastMessageAt: lastAt(group.jid) })),
    ];
  }

  private newestChats(chats: SimulatedChat[], count: number): SimulatedChat[] {
    return [...chats].sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0)).slice(0, count);
  }

  private historyOf(account: string, kind: HistoryPush["kind"], progress: number | null, chats: SimulatedChat[]): HistoryPush {
    const messages = chats.flatMap((chat) =>
      (this.threads.get(threadKey(account, chat.jid)) ?? []).map((message) => ({
        message: { ...message, chat: chat.jid },
        fromMe: message.sender === account,
      })),
    );
    return { type: "history", kind, progress, chats, messages };
  }

  private addToThread(message: SimulatedMessage): void {
    const key = threadKey(message.sender, message.chat);
    const thread = this.threads.get(key);
    if (thread) thread.push(message);
    else this.threads.set(key, [message]);
    if (message.chat.endsWith("@g.us")) return;
    for (const [person, other] of [
      [message.sender, message.chat],
      [message.chat, message.sender],
    ] as const) {
      const known = this.peers.get(person) ?? new Set<string>();
      known.add(other);
      this.peers.set(person, known);
    }
  }

  private link(pending: PendingLink, account: string): void {
    const credentials = `sandbox-device:${randomBytes(16).toString("hex")}`;
    this.accounts.get(account)!.devices.add(credentials);
    this.awaitingHistory.add(credentials);
    this.endLink(pending);
    pending.listener({ type: "linked", credentials, account });
  }

  private endLink(pending: PendingLink): void {
    clearInterval(pending.timer);
    this.pendingLinks.delete(pending);
  }

  private dropDevice(credentials: string, reason: "logged_out" | "connection_lost"): void {
    const connection = this.connected.get(credentials);
    this.connected.delete(credentials);
    connection?.listener({ type: "closed", reason });
  }

  private requireMessage(messageId: string): SimulatedMessage {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`No message ${messageId}.`);
    return message;
  }

  private recipientsOf(message: SimulatedMessage): string[] {
    if (message.chat.endsWith("@g.us")) return [...(this.groups.get(message.chat)?.participants.keys() ?? [])];
    return [message.chat, message.sender];
  }

  private fanOut(message: SimulatedMessage, event: (chat: string) => DeviceEvent): void {
    for (const recipient of this.recipientsOf(message)) {
      const chat = message.chat.endsWith("@g.us") ? message.chat : recipient === message.sender ? message.chat : message.sender;
      this.deliver(recipient, event(chat));
    }
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

function participantsOf(group: Group): EngineGroupParticipant[] {
  return [...group.participants].map(([jid, { isAdmin }]) => ({ jid, isAdmin }));
}
