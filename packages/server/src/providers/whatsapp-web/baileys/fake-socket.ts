/**
 * A fake of Baileys' socket backed by the simulated WhatsApp network (simulated/network.ts), for
 * the engine's tests. It is typed as the library's own socket subset (`BaileysSocket`, a `Pick`
 * of `WASocket`) and emits Baileys' event names with Baileys' argument types, shaped as the
 * library builds them (Baileys 7.0 `src/Socket/socket.ts`, `messages-recv.ts`,
 * `process-message.ts`):
 * - without a linked device: `connection.update` `connecting`, then `{qr}` again and again; once
 *   the phone links it, `creds.update` with `me`, `{isNewLogin: true}`, and the close with status
 *   515 `restartRequired` that every first pairing ends with;
 * - with one (a second socket on the same auth state): `open`, and `user` from `creds.me`;
 * - messages as `WAMessage`s (`key: {remoteJid, fromMe, id, participant?}`, `message` content by
 *   type, `messageTimestamp` in seconds, `pushName`); what the socket sends itself comes back once,
 *   as an `append` upsert (Baileys' `emitOwnEvents`), not from the server;
 * - receipts as `messages.update` statuses; a delete or an edit as its protocol message in
 *   `messages.upsert` and then processed in `messages.update`; groups as `groups.upsert` and
 *   `group-participants.update`;
 * - the history the phone pushes (the network's `history` chunks: right after a link, and
 *   whenever a test pushes more) as `messaging-history.set` `{chats, contacts, messages,
 *   isLatest, progress, syncType, chunkOrder}` after a `creds.update` of
 *   `processedHistoryMessages` (`isLatest` only on the first chunk a device ever processed, as
 *   `process-message.ts` reckons it); a message deleted for everyone comes as its REVOKE stub;
 * - closes as Booms with Baileys' status codes (401 loggedOut, 408 connectionLost, 440 replaced).
 * The device's network credentials ride in `creds.additionalData`, a field Baileys never reads.
 * Media bytes are kept by the fake and fetched with `downloadMedia` (no WhatsApp media server).
 */
import { EventEmitter } from "node:events";
import { randomBytes, randomInt } from "node:crypto";
import { Boom } from "@hapi/boom";
import {
  type AnyMessageContent,
  type BaileysEventEmitter,
  type BaileysEventMap,
  DisconnectReason,
  type GroupMetadata,
  getContentType,
  normalizeMessageContent,
  proto,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WAPresence,
} from "baileys";
import type { MessageStatus } from "../../../domain/messages/message-status.ts";
import type { DeviceConnection, DeviceEvent, HistoryPush, SimulatedMessage, SimulatedWhatsApp } from "../simulated/network.ts";
import { contentOf, simulatedContentOf } from "./fake-content.ts";
import type { BaileysSocket, DownloadBaileysMedia, MakeBaileysSocket } from "./socket.ts";

/** Baileys' event emitter contract on Node's EventEmitter (synchronous, as Baileys' own is). */
class FakeEventEmitter implements BaileysEventEmitter {
  private readonly inner = new EventEmitter();
  on<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void {
    this.inner.on(event, listener);
  }
  off<T extends keyof BaileysEventMap>(event: T, listener: (arg: BaileysEventMap[T]) => void): void {
    this.inner.off(event, listener);
  }
  removeAllListeners<T extends keyof BaileysEventMap>(event: T): void {
    this.inner.removeAllListeners(event);
  }
  emit<T extends keyof BaileysEventMap>(event: T, arg: BaileysEventMap[T]): boolean {
    return this.inner.emit(event, arg);
  }
}

/** What a test reaches besides the socket: its emitter (to inject odd events) and what was sent. */
export interface FakeSocketHandle {
  socket: BaileysSocket;
  ev: FakeEventEmitter;
  presences: Array<{ type: string; jid: string | undefined }>;
}

/** Baileys' status values (`proto.WebMessageInfo.Status`) of the network's acks. */
const statusOf: Record<MessageStatus, proto.WebMessageInfo.Status> = {
  pending: proto.WebMessageInfo.Status.PENDING,
  sent: proto.WebMessageInfo.Status.SERVER_ACK,
  delivered: proto.WebMessageInfo.Status.DELIVERY_ACK,
  read: proto.WebMessageInfo.Status.READ,
  played: proto.WebMessageInfo.Status.PLAYED,
  failed: proto.WebMessageInfo.Status.ERROR,
};

const syncTypes: Record<HistoryPush["kind"], proto.HistorySync.HistorySyncType> = {
  initial: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
  recent: proto.HistorySync.HistorySyncType.RECENT,
  full: proto.HistorySync.HistorySyncType.FULL,
};

const closeCodes = {
  logged_out: DisconnectReason.loggedOut,
  connection_lost: DisconnectReason.connectionLost,
  replaced: DisconnectReason.connectionReplaced,
} as const;

/** Baileys on `network`: `makeSocket` and `downloadMedia` for the engine, and every socket made so far. */
export function fakeBaileys(network: SimulatedWhatsApp): { makeSocket: MakeBaileysSocket; downloadMedia: DownloadBaileysMedia; sockets: FakeSocketHandle[] } {
  const mediaByUrl = new Map<string, Uint8Array>();
  const sockets: FakeSocketHandle[] = [];

  const makeSocket: MakeBaileysSocket = (config) => {
    const handle = fakeSocket(network, config, mediaByUrl);
    sockets.push(handle);
    return handle.socket;
  };
  const downloadMedia: DownloadBaileysMedia = async (message) => {
    const content = normalizeMessageContent(message.message);
    const kind = getContentType(content);
    const media = kind ? (content?.[kind] as { url?: string | null } | undefined) : undefined;
    const bytes = media?.url ? mediaByUrl.get(media.url) : undefined;
    if (!bytes) throw new Boom("media not found", { statusCode: 404 });
    return bytes;
  };
  return { makeSocket, downloadMedia, sockets };
}

function fakeSocket(network: SimulatedWhatsApp, config: UserFacingSocketConfig, mediaByUrl: Map<string, Uint8Array>): FakeSocketHandle {
  const ev = new FakeEventEmitter();
  const creds = config.auth.creds;
  const presences: FakeSocketHandle["presences"] = [];
  /** Messages this socket heard or sent, by id: deletes and edits name their target's key. */
  const keys = new Map<string, WAMessageKey>();
  let connection: DeviceConnection | null = null;
  let link: ReturnType<SimulatedWhatsApp["requestLink"]> | null = null;
  let closed = false;
  /** While the socket sends: the network echoes the message to this device, Baileys does not. */
  let sending: string | null = null;
  const device = () => (creds.additionalData as { simulatedDevice?: string } | undefined)?.simulatedDevice;
  const myPhone = () => `+${creds.me!.id.split(/[:@]/)[0]}`;

  const close = (statusCode: number | undefined, message: string) => {
    if (closed) return;
    closed = true;
    link?.cancel();
    connection?.close();
    connection = null;
    const error = statusCode === undefined ? undefined : new Boom(message, { statusCode });
    ev.emit("connection.update", { connection: "close", lastDisconnect: { error, date: new Date() } });
    ev.removeAllListeners("connection.update");
  };

  const toWAMessage = (message: SimulatedMessage, fromMe: boolean): WAMessage => {
    const key: WAMessageKey = { remoteJid: message.chat, fromMe, id: message.id, ...(message.chat.endsWith("@g.us") ? { participant: message.sender } : {}) };
    keys.set(message.id, key);
    return {
      key,
      message: contentOf(message, keys, mediaByUrl),
      messageTimestamp: Math.floor(message.sentAt.getTime() / 1000),
      ...(message.senderName ? { pushName: message.senderName } : {}),
      ...(fromMe ? { status: proto.WebMessageInfo.Status.SERVER_ACK } : {}),
    };
  };

  /** A history chunk as Baileys' `processHistoryMessage` hands it over. */
  const pushHistory = (push: HistoryPush) => {
    const seconds = (at: Date | null) => (at ? Math.floor(at.getTime() / 1000) : undefined);
    const processed = creds.processedHistoryMessages ?? [];
    const notification = { key: { remoteJid: creds.me!.id, fromMe: true, id: newId() }, messageTimestamp: seconds(new Date()) };
    const isLatest = processed.length === 0;
    const update = { processedHistoryMessages: [...processed, notification] };
    Object.assign(creds, update);
    ev.emit("creds.update", update);
    ev.emit("messaging-history.set", {
      chats: push.chats.map((chat) => ({
        id: chat.jid,
        ...(chat.name ? { name: chat.name } : {}),
        conversationTimestamp: seconds(chat.lastMessageAt) ?? null,
        unreadCount: 0,
      })),
      contacts: push.chats.map((chat) => ({ id: chat.jid, ...(chat.name ? { name: chat.name } : {}) })),
      messages: push.messages.map(({ message, fromMe }): WAMessage => {
        if (!message.revoked) return toWAMessage({ ...message, body: message.editedBody ?? message.body }, fromMe);
        const { key, messageTimestamp } = toWAMessage(message, fromMe);
        return { key, messageTimestamp, messageStubType: proto.WebMessageInfo.StubType.REVOKE };
      }),
      isLatest,
      progress: push.progress,
      syncType: syncTypes[push.kind],
      chunkOrder: processed.length + 1,
    });
  };

  const onDeviceEvent = (event: DeviceEvent) => {
    switch (event.type) {
      case "qr":
      case "linked":
        return;
      case "message": {
        if (event.fromMe && sending !== null) return;
        ev.emit("messages.upsert", { messages: [toWAMessage(event.message, event.fromMe)], type: "notify" });
        return;
      }
      case "ack":
        ev.emit("messages.update", [{ key: { remoteJid: event.chat, fromMe: true, id: event.messageId }, update: { status: statusOf[event.status] } }]);
        return;
      case "revoke":
      case "edit": {
        const target = keys.get(event.messageId) ?? { remoteJid: event.chat, fromMe: false, id: event.messageId };
        const protocolMessage: proto.Message.IProtocolMessage =
          event.type === "revoke"
            ? { type: proto.Message.ProtocolMessage.Type.REVOKE, key: target }
            : {
                type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
                key: target,
                editedMessage: { conversation: event.body },
                timestampMs: event.at.getTime(),
              };
        const carrier: WAMessageKey = {
          remoteJid: event.chat,
          fromMe: target.fromMe,
          id: newId(),
          ...(target.participant ? { participant: target.participant } : {}),
        };
        const seconds = Math.floor(event.at.getTime() / 1000);
        // Baileys 7 sends edits wrapped in `editedMessage`; deletes come bare.
        const message = event.type === "revoke" ? { protocolMessage } : { editedMessage: { message: { protocolMessage } } };
        ev.emit("messages.upsert", { messages: [{ key: carrier, message, messageTimestamp: seconds }], type: "notify" });
        ev.emit("messages.update", [
          event.type === "revoke"
            ? { key: { ...carrier, id: event.messageId }, update: { message: null, messageStubType: proto.WebMessageInfo.StubType.REVOKE, key: carrier } }
            : {
                key: { ...carrier, id: event.messageId },
                update: { message: { editedMessage: { message: { conversation: event.body } } }, messageTimestamp: seconds },
              },
        ]);
        return;
      }
      case "group": {
        const participants = event.group.participants.map(({ jid, isAdmin }) => ({ id: jid, admin: isAdmin ? ("admin" as const) : null }));
        if (event.change === "created") {
          ev.emit("groups.upsert", [metadataOf(event.group.jid, event.group.subject, participants)]);
        } else if (event.change === "subject") {
          ev.emit("groups.update", [{ id: event.group.jid, subject: event.group.subject }]);
        } else {
          const action = ({ joined: "add", left: "remove", promoted: "promote", demoted: "demote" } as const)[event.change];
          ev.emit("group-participants.update", {
            id: event.group.jid,
            author: event.participants[0] ?? "",
            participants: event.participants.map((id) => ({ id, admin: null })),
            action,
          });
        }
        return;
      }
      case "history":
        pushHistory(event);
        return;
      case "closed":
        connection = null;
        close(closeCodes[event.reason], event.reason);
        return;
    }
  };

  const connect = () => {
    if (closed) return;
    ev.emit("connection.update", { connection: "connecting" });
    const stored = device();
    if (creds.me && stored) {
      connection = network.connect(stored, onDeviceEvent);
      if (!connection) return close(DisconnectReason.loggedOut, "Connection Failure");
      ev.emit("connection.update", { connection: "open", receivedPendingNotifications: true });
      return;
    }
    link = network.requestLink((event) => {
      if (event.type === "qr") ev.emit("connection.update", { qr: event.code });
      if (event.type !== "linked") return;
      link = null;
      const update = {
        me: { id: `${event.account.split("@")[0]}:${randomInt(1, 40)}@s.whatsapp.net`, name: undefined },
        platform: "android",
        additionalData: { simulatedDevice: event.credentials },
      };
      Object.assign(creds, update);
      ev.emit("creds.update", update);
      // The pairing also brings the device's first signal keys (Baileys uploads pre-keys).
      void Promise.resolve(config.auth.keys.set({ "pre-key": { "1": { public: randomBytes(32), private: randomBytes(32) } } })).then(() => {
        ev.emit("connection.update", { isNewLogin: true, qr: undefined });
        close(DisconnectReason.restartRequired, "Stream Errored (restart required)");
      });
    });
  };
  setImmediate(connect);

  const requireOpen = () => {
    if (!connection?.account()) throw new Boom("Connection Closed", { statusCode: DisconnectReason.connectionClosed });
    return connection;
  };

  const socket = {
    ev,
    get user() {
      return creds.me;
    },
    async sendMessage(jid: string, content: AnyMessageContent, options?: { quoted?: WAMessage }) {
      requireOpen();
      const to = jid.endsWith("@g.us") ? jid : `+${jid.split(/[:@]/)[0]}`;
      const simulated = simulatedContentOf(content, options?.quoted?.key.id ?? null);
      sending = jid;
      let sent: SimulatedMessage;
      try {
        sent = network.send(myPhone(), to, simulated);
      } finally {
        sending = null;
      }
      const message = toWAMessage({ ...sent, chat: jid }, true);
      // Baileys' emitOwnEvents: the session hears its own message on the next tick, as `append`.
      process.nextTick(() => ev.emit("messages.upsert", { messages: [message], type: "append" }));
      return message;
    },
    async readMessages(readKeys: WAMessageKey[]) {
      requireOpen();
      for (const key of readKeys) if (!key.fromMe && key.id) network.read(myPhone(), key.id);
    },
    async sendPresenceUpdate(type: WAPresence, jid?: string) {
      requireOpen();
      presences.push({ type, jid });
    },
    async requestPairingCode(phoneNumber: string) {
      if (!link) throw new Boom("Connection Closed", { statusCode: DisconnectReason.connectionClosed });
      return link.requestPairingCode(`+${phoneNumber}`);
    },
    async groupMetadata(jid: string): Promise<GroupMetadata> {
      const group = network.chatsOf(myPhone()).find((chat) => chat.jid === jid);
      if (!group) throw new Boom("item-not-found", { statusCode: 404 });
      return metadataOf(
        jid,
        group.name ?? "",
        (group.participants ?? []).map(({ jid: id, isAdmin }) => ({ id, admin: isAdmin ? "admin" : null })),
      );
    },
    async updateMediaMessage(message: WAMessage) {
      return message;
    },
    async logout() {
      const stored = device();
      if (stored) network.logoutDevice(stored);
      close(DisconnectReason.loggedOut, "Intentional Logout");
    },
    async end(error: Error | undefined) {
      close(error ? DisconnectReason.connectionClosed : undefined, error?.message ?? "Connection Closed");
    },
  } satisfies BaileysSocket;
  return { socket, ev, presences };
}

function metadataOf(id: string, subject: string, participants: GroupMetadata["participants"]): GroupMetadata {
  return { id, subject, owner: participants.find((participant) => participant.admin)?.id, participants, creation: Math.floor(Date.now() / 1000) };
}

const newId = () => `3EB0${randomBytes(8).toString("hex").toUpperCase()}`;
