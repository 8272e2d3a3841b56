/**
 * A fake whatsapp-web.js `Client` on the simulated network (simulated/network.ts), for the engine's
 * tests: no Chromium. It implements the library's types Parley uses (client.ts) and emits the
 * library's event names with its argument shapes: messages with `id {fromMe, remote, id,
 * _serialized}`, `from`/`to`/`author` in `@c.us`, `timestamp` in seconds, the notify name and
 * quoted id in `rawData`; `qr` repeating until scanned; `message_create` for every message
 * (own ones included); `message_ack` with `MessageAck` numbers; reactions only through
 * `message_reaction`; `disconnected` with `LOGOUT` or a `WAState`.
 *
 * It keeps its session as RemoteAuth does (src/authStrategies/RemoteAuth.js), through the same
 * `Store` (the "profile zip" is a file holding the simulated device's credentials): extract
 * before connecting, save once after the first link, delete on logout and on a state the library
 * does not accept (CONFLICT). Where it differs from the library: RemoteAuth saves 60 s after
 * `ready` (`firstSaveDelayMs` here, 0 by default, and the save finishes before `ready` when it is
 * 0), and it never saves periodic backups. Like RemoteAuth, it never emits `auth_failure`: a
 * stored session that no longer works shows a QR.
 */
import { EventEmitter } from "node:events";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GroupNotificationTypes, MessageAck, MessageMedia, MessageTypes, Store, WAState } from "whatsapp-web.js";
import type { MessageStatus } from "../../../domain/messages/message-status.ts";
import type { DeviceConnection, DeviceEvent, SimulatedContent, SimulatedWhatsApp } from "../simulated/network.ts";
import {
  enumValue,
  type WhatsappWebJsChat,
  type WhatsappWebJsClient,
  type WhatsappWebJsEvents,
  type WhatsappWebJsGroupNotification,
  type WhatsappWebJsMessage,
} from "./client.ts";
import { cUs, wireMessageOf } from "./fake-wire.ts";

/** What `makeClient` gets: RemoteAuth's options. */
export interface FakeClientOptions {
  store: Store;
  clientId: string;
  dataPath: string;
}

export interface FakeClientBehaviour {
  /** Delay of RemoteAuth's first save after linking, in ms (the library: 60 000). Default 0. */
  firstSaveDelayMs?: number;
  /** Authenticates and then never becomes ready (WhatsApp Web stuck loading). */
  neverReady?: boolean;
}

const ackOf: Record<MessageStatus, MessageAck | null> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 4, failed: -1 };

const sWhatsapp = (jid: string) => jid.replace(/@c\.us$/, "@s.whatsapp.net");
const phoneOf = (jid: string) => `+${jid.split("@")[0]}`;
/** The id part of a serialized id (`false_<remote>_<id>[_<participant>]`). */
const idOfSerialized = (serialized: string) => serialized.split("_")[2] ?? serialized;

export class FakeWhatsappWebJsClient extends EventEmitter implements WhatsappWebJsClient {
  info!: WhatsappWebJsClient["info"];
  /** Stands for the puppeteer page: `crashPage()` closes it. */
  readonly pupPage = new EventEmitter();
  private connection: DeviceConnection | null = null;
  private link: ReturnType<SimulatedWhatsApp["requestLink"]> | null = null;
  private device: string | null = null;
  private me: string | null = null;
  private destroyed = false;
  private readonly groups = new Map<string, Extract<DeviceEvent, { type: "group" }>["group"]>();
  private readonly sessionName: string;

  constructor(
    private readonly network: SimulatedWhatsApp,
    private readonly options: FakeClientOptions,
    private readonly behaviour: FakeClientBehaviour = {},
  ) {
    super();
    this.sessionName = `RemoteAuth-${options.clientId}`;
  }

  override on<Event extends keyof WhatsappWebJsEvents>(event: Event, listener: (...args: WhatsappWebJsEvents[Event]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  private fire<Event extends keyof WhatsappWebJsEvents>(event: Event, ...args: WhatsappWebJsEvents[Event]): void {
    if (!this.destroyed) this.emit(event, ...args);
  }

  async initialize(): Promise<void> {
    const zip = join(this.options.dataPath, `${this.sessionName}.zip`);
    await mkdir(this.options.dataPath, { recursive: true });
    if (await this.options.store.sessionExists({ session: this.sessionName })) {
      await this.options.store.extract({ session: this.sessionName, path: zip });
      const stored = await readFile(zip, "utf8");
      await rm(zip, { force: true });
      if (await this.connect(stored, false)) return;
    }
    this.link = this.network.requestLink((event) => {
      if (event.type === "qr") this.fire("qr", event.code);
      if (event.type === "linked") {
        this.link = null;
        void this.connect(event.credentials, true);
      }
    });
  }

  /** Chromium's page closes (a crash, or the page detached). */
  crashPage(): void {
    this.pupPage.emit("close");
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.link?.cancel();
    this.connection?.close();
    this.connection = null;
  }

  async logout(): Promise<void> {
    this.destroyed = true;
    this.link?.cancel();
    this.connection?.close();
    if (this.device) this.network.logoutDevice(this.device);
    await this.options.store.delete({ session: this.sessionName });
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (!this.link) throw new Error("Pairing codes are only issued while waiting to be linked.");
    return this.link.requestPairingCode(`+${phoneNumber.replace(/\D/g, "")}`);
  }

  async sendMessage(
    chatId: string,
    content: string | MessageMedia,
    options: Parameters<WhatsappWebJsClient["sendMessage"]>[2] = {},
  ): Promise<WhatsappWebJsMessage> {
    const me = this.readyMe();
    const sent = this.network.send(phoneOf(me), chatId.endsWith("@g.us") ? chatId : phoneOf(chatId), {
      ...this.contentOf(content, options),
      quotedId: options.quotedMessageId ? idOfSerialized(options.quotedMessageId) : null,
    });
    return wireMessageOf(this.account, { ...sent, chat: sWhatsapp(chatId) }, true);
  }

  async sendReaction(messageId: string, reaction: string): Promise<void> {
    const me = this.readyMe();
    const remote = messageId.split("_")[1] ?? "";
    this.network.send(phoneOf(me), remote.endsWith("@g.us") ? remote : phoneOf(remote), {
      type: "reaction",
      body: reaction,
      quotedId: idOfSerialized(messageId),
    });
  }

  async sendSeen(chatId: string): Promise<boolean> {
    const me = this.readyMe();
    const chat = sWhatsapp(chatId);
    for (const message of this.network.history(phoneOf(me), chat)) {
      if (message.sender !== me && !chat.endsWith("@g.us")) this.network.read(phoneOf(me), message.id);
    }
    return true;
  }

  async getChats(): Promise<WhatsappWebJsChat[]> {
    const me = this.readyMe();
    return this.network.chatsOf(phoneOf(me)).map((chat) => this.chatOf(chat.jid, chat.name, chat.participants));
  }

  async getChatById(chatId: string): Promise<WhatsappWebJsChat> {
    const me = this.readyMe();
    const jid = sWhatsapp(chatId);
    const known = this.network.chatsOf(phoneOf(me)).find((chat) => chat.jid === jid);
    const group = this.groups.get(jid);
    return this.chatOf(jid, known?.name ?? group?.subject ?? null, known?.participants ?? group?.participants);
  }

  /** The linked account's JID (set once connected, before `ready`). */
  private get account(): string {
    return this.me ?? this.connection?.account() ?? "";
  }

  private readyMe(): string {
    if (!this.connection || !this.me) throw new Error("Evaluation failed: the client is not ready");
    return this.me;
  }

  private async connect(credentials: string, firstLink: boolean): Promise<boolean> {
    if (this.destroyed) return false;
    const connection = this.network.connect(credentials, (event) => this.onDeviceEvent(event));
    if (!connection) return false;
    this.connection = connection;
    this.device = credentials;
    const me = connection.account()!;
    this.fire("authenticated");
    if (this.behaviour.neverReady) return true;
    if (firstLink && !(await this.options.store.sessionExists({ session: this.sessionName }))) {
      const save = () => this.saveSession(credentials);
      if (this.behaviour.firstSaveDelayMs) setTimeout(save, this.behaviour.firstSaveDelayMs);
      else await save();
    }
    this.me = me;
    this.info = { wid: { server: "c.us", user: me.split("@")[0]!, _serialized: cUs(me) }, pushname: "" };
    this.fire("ready");
    return true;
  }

  private async saveSession(credentials: string): Promise<void> {
    if (this.destroyed) return;
    await writeFile(join(this.options.dataPath, `${this.sessionName}.zip`), credentials);
    await this.options.store.save({ session: this.sessionName });
    await rm(join(this.options.dataPath, `${this.sessionName}.zip`), { force: true });
  }

  private onDeviceEvent(event: DeviceEvent): void {
    switch (event.type) {
      case "qr":
      case "linked":
        return;
      case "message": {
        const message = wireMessageOf(this.account, event.message, event.fromMe);
        if (event.message.type === "reaction") {
          this.fire("message_reaction", {
            id: message.id,
            msgId: { ...message.id, fromMe: this.network.message(event.message.quotedId ?? "")?.sender === this.me, id: event.message.quotedId ?? "" },
            reaction: event.message.body ?? "",
            senderId: cUs(event.message.sender),
            timestamp: message.timestamp,
          });
        } else this.fire("message_create", message);
        return;
      }
      case "ack": {
        const ack = ackOf[event.status];
        const message = this.network.message(event.messageId);
        if (ack !== null && message) this.fire("message_ack", wireMessageOf(this.account, { ...message, chat: event.chat }, true), ack);
        return;
      }
      case "revoke": {
        const message = this.network.message(event.messageId);
        if (!message) return;
        const original = wireMessageOf(this.account, { ...message, chat: event.chat, revoked: false, editedBody: null }, message.sender === this.me);
        this.fire("message_revoke_everyone", { ...original, type: enumValue<MessageTypes>("revoked"), body: "" }, original);
        return;
      }
      case "edit": {
        const message = this.network.message(event.messageId);
        if (!message) return;
        this.fire("message_edit", wireMessageOf(this.account, { ...message, chat: event.chat }, message.sender === this.me), event.body, message.body ?? "");
        return;
      }
      case "group":
        this.groups.set(event.group.jid, event.group);
        this.fireGroup(event);
        return;
      case "history":
        // WhatsApp Web takes the phone's history pushes inside the page: the library emits
        // nothing for them, its chats simply hold more (getChats, fetchMessages).
        return;
      case "closed":
        this.onClosed(event.reason);
        return;
    }
  }

  private fireGroup(event: Extract<DeviceEvent, { type: "group" }>): void {
    const notification = (type: WhatsappWebJsGroupNotification["type"]): WhatsappWebJsGroupNotification => ({
      chatId: event.group.jid,
      author: "",
      recipientIds: event.participants.map(cUs),
      timestamp: Math.floor(Date.now() / 1000),
      type,
    });
    if (event.change === "created") this.fire("group_update", notification("create"));
    if (event.change === "joined") this.fire("group_join", notification(enumValue<GroupNotificationTypes>("add")));
    if (event.change === "left") this.fire("group_leave", notification(enumValue<GroupNotificationTypes>("leave")));
    if (event.change === "promoted" || event.change === "demoted")
      this.fire("group_admin_changed", notification(enumValue<GroupNotificationTypes>(event.change === "promoted" ? "promote" : "demote")));
    if (event.change === "subject") this.fire("group_update", notification(enumValue<GroupNotificationTypes>("subject")));
  }

  private onClosed(reason: "logged_out" | "connection_lost" | "replaced"): void {
    this.connection = null;
    this.me = null;
    if (reason === "logged_out") {
      // Client.js: the page navigates to `post_logout=1`, it emits LOGOUT, then RemoteAuth deletes the session.
      this.fire("disconnected", "LOGOUT");
      void this.options.store.delete({ session: this.sessionName });
    } else if (reason === "replaced") {
      // A state the library does not accept: RemoteAuth.disconnect() deletes the stored session, then `disconnected`.
      this.fire("change_state", enumValue<WAState>("CONFLICT"));
      void Promise.resolve(this.options.store.delete({ session: this.sessionName })).then(() => {
        this.fire("disconnected", "CONFLICT");
        void this.destroy();
      });
    } else {
      // WhatsApp Web keeps retrying (TIMEOUT is an accepted state): the library emits nothing more.
      this.fire("change_state", enumValue<WAState>("TIMEOUT"));
    }
  }

  private contentOf(
    content: string | MessageMedia,
    options: NonNullable<Parameters<WhatsappWebJsClient["sendMessage"]>[2]>,
  ): Omit<SimulatedContent, "quotedId"> {
    const none = { location: null, contacts: null, media: null };
    if (typeof content === "string") return { ...none, type: "text", body: content };
    const mime = content.mimetype;
    // WhatsApp Web picks the kind from the MIME type unless an option asks for another.
    const type = options.sendAudioAsVoice
      ? "voice"
      : options.sendMediaAsSticker
        ? "sticker"
        : options.sendMediaAsDocument
          ? "document"
          : mime.startsWith("image/")
            ? "image"
            : mime.startsWith("video/")
              ? "video"
              : mime.startsWith("audio/")
                ? "audio"
                : "document";
    return { ...none, type, body: options.caption ?? null, media: { mime, filename: content.filename ?? null, bytes: Buffer.from(content.data, "base64") } };
  }

  private chatOf(jid: string, name: string | null, participants?: Array<{ jid: string; isAdmin: boolean }>): WhatsappWebJsChat {
    const me = this.readyMe();
    const history = () => this.network.history(phoneOf(me), jid);
    const last = history().at(-1);
    const [user = "", server = ""] = cUs(jid).split("@");
    return {
      id: { server, user, _serialized: cUs(jid) },
      name: name ?? "",
      isGroup: jid.endsWith("@g.us"),
      timestamp: last ? Math.floor(last.sentAt.getTime() / 1000) : 0,
      ...(participants
        ? {
            participants: participants.map((participant) => {
              const [participantUser = "", participantServer = ""] = cUs(participant.jid).split("@");
              return {
                id: { server: participantServer, user: participantUser, _serialized: cUs(participant.jid) },
                isAdmin: participant.isAdmin,
                isSuperAdmin: false,
              };
            }),
          }
        : {}),
      sendSeen: () => this.sendSeen(cUs(jid)),
      sendStateTyping: async () => {
        this.readyMe();
      },
      clearState: async () => {
        this.readyMe();
        return true;
      },
      fetchMessages: async ({ limit }) =>
        history()
          .slice(-limit)
          .map((message) => wireMessageOf(this.account, { ...message, chat: jid }, message.sender === me)),
    };
  }
}
