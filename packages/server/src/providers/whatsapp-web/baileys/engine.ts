/**
 * The `baileys` engine: a WhatsApp Web session over Baileys (WhatsApp's multi-device protocol on
 * a WebSocket, no browser), mapped onto the engine port (domain/whatsapp-web/engine.ts).
 *
 * Baileys rules it follows (Baileys' README and `src/Types/Events.ts`, 7.0 release candidates):
 * the QR comes in `connection.update`; the first pairing always ends with a close of status 515
 * `restartRequired`, after which a new socket must be opened on the same auth state (done here,
 * so the session manager sees `qr` → `authenticated` → `ready` as with any engine); creds are
 * persisted on every `creds.update`; `messages.upsert` carries both customers' messages
 * (`notify`) and the session's own (`append`, and `notify` from the owner's phone); receipts come
 * as `messages.update` statuses and, in groups, `message-receipt.update`; a delete for everyone
 * or an edit comes as a protocol message in `messages.upsert` and again, processed, in
 * `messages.update` (reported once); the phone's history comes after a link in several
 * `messaging-history.set` chunks, kept for the sync and reported as `history` each.
 */
import {
  downloadMediaMessage,
  makeCacheableSignalKeyStore,
  makeWASocket,
  proto,
  toNumber,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
} from "baileys";
import { pino } from "pino";
import { statusOfBaileysStatus } from "../../../domain/whatsapp-web/acks.ts";
import type { DisconnectReason, EngineEvent, EngineMessage, WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import type { SessionCredentials } from "../../../domain/whatsapp-web/session-credentials.ts";
import { type BaileysAuthState, loadBaileysAuthState } from "./auth-state.ts";
import { ChatStore } from "./chat-store.ts";
import { disconnectReasonOf, statusCodeOf } from "./disconnect-reason.ts";
import { chatOf, editedBodyOf, personOf, toEngineMessage } from "./inbound-message.ts";
import { toBaileysContent } from "./outbound-content.ts";
import type { BaileysSocket, DownloadBaileysMedia, MakeBaileysSocket } from "./socket.ts";
import { watchGroups } from "./groups.ts";

export interface BaileysEngineOptions {
  /** Where the session's creds and signal keys live (sealed at rest). */
  credentials: SessionCredentials;
  /** Opens a socket. Default: Baileys' `makeWASocket`. */
  makeSocket?: MakeBaileysSocket;
  /** Fetches a media message's bytes. Default: Baileys' `downloadMediaMessage`, re-upload requests included. */
  downloadMedia?: DownloadBaileysMedia;
  /** Baileys' logger (pino-compatible). Default: silent, Baileys logs a lot at `info`. */
  logger?: UserFacingSocketConfig["logger"];
}

/** HTTP statuses of a media download meaning WhatsApp no longer has the file. */
const goneStatuses = new Set([404, 410]);

/** A Baileys session of one inbox, its auth state in `options.credentials`. */
export function createBaileysEngine(options: BaileysEngineOptions): WhatsAppEngine {
  const { credentials } = options;
  const makeSocket = options.makeSocket ?? makeWASocket;
  const logger = options.logger ?? pino({ level: "silent" });
  const downloadMedia: DownloadBaileysMedia =
    options.downloadMedia ?? ((message, sock) => downloadMediaMessage(message, "buffer", {}, { reuploadRequest: sock.updateMediaMessage, logger }));
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  const store = new ChatStore();
  /** Revokes and edits already reported (each arrives twice, see the module comment). */
  const reported = new Set<string>();
  let socket: BaileysSocket | null = null;
  let me: string | null = null;
  /** Writes of the creds, in order; a logout waits for them before clearing. */
  let saving: Promise<void> = Promise.resolve();
  /** Set by a 515 close, cleared when the new socket opens: a second 515 in a row is reported, not looped on. */
  let restarting = false;

  const ready = () => {
    if (!socket || !me) throw new Error("The WhatsApp session is not ready.");
    return { socket, me };
  };
  const once = (key: string) => {
    if (reported.has(key)) return false;
    reported.add(key);
    if (reported.size > 1000) reported.delete(reported.values().next().value!);
    return true;
  };

  function finish(reason: DisconnectReason, detail: string | null): void {
    socket = null;
    me = null;
    if (reason === "logged_out") {
      saving = saving.then(() => credentials.clear()).catch((error) => logger.error({ error }, "forgetting logged-out WhatsApp creds failed"));
    }
    emit({ type: "disconnected", reason, detail });
  }

  function open(state: BaileysAuthState): void {
    const sock = makeSocket({
      auth: { creds: state.state.creds, keys: makeCacheableSignalKeyStore(state.state.keys, logger) },
      logger,
      markOnlineOnConnect: false,
    });
    socket = sock;
    const current = () => socket === sock;
    const { ev } = sock;
    ev.on("creds.update", () => {
      // A closed socket's late update must not bring back creds a logout just cleared.
      if (!current()) return;
      saving = saving.then(() => state.saveCreds()).catch((error) => logger.error({ error }, "saving WhatsApp creds failed"));
    });
    ev.on("connection.update", (update) => {
      if (!current()) return;
      if (update.qr) emit({ type: "qr", code: update.qr });
      if (update.connection === "open") {
        restarting = false;
        me = personOf(sock.user?.id, sock.user?.phoneNumber);
        emit({ type: "authenticated" });
        emit({ type: "ready", me: { jid: me!, name: sock.user?.name ?? sock.user?.verifiedName ?? sock.user?.notify ?? null } });
      }
      if (update.connection === "close") {
        const error = update.lastDisconnect?.error;
        const reason = disconnectReasonOf(statusCodeOf(error));
        if (reason === "restart_required" && !restarting) {
          restarting = true;
          open(state);
          return;
        }
        finish(reason, error?.message ?? null);
      }
    });
    ev.on("messaging-history.set", ({ chats, contacts, messages }) => {
      if (!current()) return;
      for (const contact of contacts) {
        const jid = personOf(contact.phoneNumber ?? contact.id);
        if (jid) store.upsertChat(jid, { name: contact.name ?? contact.notify ?? null });
      }
      const pushed = new Set<string>();
      for (const chat of chats) {
        const jid = chatOf({ remoteJid: chat.id });
        const at = toNumber(chat.conversationTimestamp);
        if (!jid) continue;
        store.upsertChat(jid, { name: chat.name ?? null, lastMessageAt: at ? new Date(at * 1000) : null });
        pushed.add(jid);
      }
      const heard: EngineMessage[] = [];
      for (const raw of messages) {
        const message = hear(sock, raw, false);
        if (!message) continue;
        heard.push(message);
        pushed.add(message.chat);
      }
      // A push of names only (PUSH_NAME) brings no chat to import. The sync may have run
      // already: the chunk goes to the pipeline as well as into the store the sync reads.
      if (pushed.size > 0) emit({ type: "history", chats: [...pushed].map((jid) => store.describe(jid)), messages: heard });
    });
    ev.on("messages.upsert", ({ messages }) => {
      if (!current()) return;
      for (const message of messages) hear(sock, message, true);
    });
    ev.on("messages.update", (updates) => {
      if (!current()) return;
      for (const { key, update } of updates) {
        const chat = chatOf(key);
        if (!chat || !key.id) continue;
        const status = update.status === null || update.status === undefined ? null : statusOfBaileysStatus(update.status);
        // Receipts of customers' messages (read on the phone) are not acks of anything Parley sent.
        if (status && key.fromMe !== false) emit({ type: "ack", chat, messageId: key.id, status, at: new Date() });
        if (update.messageStubType === proto.WebMessageInfo.StubType.REVOKE) revoked(chat, key.id, new Date());
        const edited = update.message?.editedMessage?.message;
        const body = editedBodyOf(edited);
        if (edited && body !== null) editedTo(chat, key.id, body, atOf(update.messageTimestamp));
      }
    });
    ev.on("message-receipt.update", (receipts) => {
      if (!current()) return;
      for (const { key, receipt } of receipts) {
        const chat = chatOf(key);
        if (!chat || !key.id) continue;
        const [status, at] = receipt.playedTimestamp
          ? (["played", receipt.playedTimestamp] as const)
          : receipt.readTimestamp
            ? (["read", receipt.readTimestamp] as const)
            : (["delivered", receipt.receiptTimestamp] as const);
        emit({ type: "ack", chat, messageId: key.id, status, at: atOf(at) });
      }
    });
    watchGroups(sock, store, (event) => current() && emit(event));
  }

  function atOf(seconds: Parameters<typeof toNumber>[0]): Date {
    const value = toNumber(seconds);
    return value ? new Date(value * 1000) : new Date();
  }

  function revoked(chat: string, messageId: string, at: Date): void {
    if (!once(`revoke ${chat} ${messageId}`)) return;
    store.updateMessage(chat, messageId, { body: null, media: null });
    emit({ type: "revoke", chat, messageId, at });
  }

  function editedTo(chat: string, messageId: string, body: string, at: Date): void {
    if (!once(`edit ${chat} ${messageId} ${body}`)) return;
    store.updateMessage(chat, messageId, { body });
    emit({ type: "edit", chat, messageId, body, at });
  }

  /**
   * A message from an upsert (live: reported) or from the history the phone pushed (stored, and
   * returned for the `history` event); null for what is no chat message (revokes and edits are
   * applied here).
   */
  function hear(sock: BaileysSocket, raw: WAMessage, live: boolean): EngineMessage | null {
    const chat = chatOf(raw.key);
    const protocol = raw.message && (raw.message.protocolMessage ?? raw.message.editedMessage?.message?.protocolMessage);
    if (chat && protocol?.key?.id) {
      if (protocol.type === proto.Message.ProtocolMessage.Type.REVOKE) revoked(chat, protocol.key.id, atOf(raw.messageTimestamp));
      const body = editedBodyOf(protocol.editedMessage);
      if (protocol.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT && body !== null) editedTo(chat, protocol.key.id, body, atOf(raw.messageTimestamp));
      return null;
    }
    const message = toEngineMessage(raw, { me: me ?? personOf(sock.user?.id) ?? "", download: (target) => download(sock, target) });
    if (!message) return null;
    store.addMessage(message, raw);
    if (live) emit({ type: "message", message });
    return message;
  }

  async function download(sock: BaileysSocket, message: WAMessage): Promise<Uint8Array | null> {
    try {
      const bytes = await downloadMedia(message, sock);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      const status = statusCodeOf(error) ?? (error as { status?: number }).status;
      if (status !== undefined && goneStatuses.has(status)) return null;
      throw error;
    }
  }

  const keyOf = (chat: string, messageId: string): WAMessageKey => store.raw(chat, messageId)?.key ?? { remoteJid: chat, id: messageId, fromMe: false };

  return {
    kind: "baileys",
    async start() {
      if (socket) return;
      const state = await loadBaileysAuthState(credentials);
      restarting = false;
      open(state);
    },
    async stop() {
      const sock = socket;
      if (!sock) return;
      socket = null;
      me = null;
      await sock.end(undefined).catch(() => {});
      emit({ type: "disconnected", reason: "stopped", detail: null });
    },
    async logout() {
      const sock = socket;
      socket = null;
      me = null;
      if (sock) await sock.logout().catch((error) => logger.warn({ error }, "WhatsApp logout failed; forgetting the credentials anyway"));
      saving = saving.then(() => credentials.clear());
      await saving;
      if (sock) emit({ type: "disconnected", reason: "logged_out", detail: null });
    },
    async requestPairingCode(phoneNumber) {
      if (!socket || me) throw new Error("A pairing code can only be requested while the session waits to be linked.");
      // Baileys wants the number as digits only, country code first.
      return socket.requestPairingCode(phoneNumber.replace(/\D/g, ""));
    },
    async send(chat, content, sendOptions = {}) {
      const { socket: sock } = ready();
      const quoted = sendOptions.quotedId ? quotedMessage(chat, sendOptions.quotedId) : undefined;
      const sent = await sock.sendMessage(chat, await toBaileysContent(content, (id) => keyOf(chat, id)), quoted ? { quoted } : {});
      if (!sent?.key.id) throw new Error("WhatsApp did not take the message.");
      return { id: sent.key.id, at: atOf(sent.messageTimestamp) };
    },
    async markRead(chat, messageIds) {
      const { socket: sock } = ready();
      await sock.readMessages(messageIds.map((id) => keyOf(chat, id)).filter((key) => !key.fromMe));
    },
    async setTyping(chat, typing) {
      await ready().socket.sendPresenceUpdate(typing ? "composing" : "paused", chat);
    },
    async listChats({ since, limit }) {
      ready();
      return store.listChats(since, limit);
    },
    async fetchMessages(chat, limit) {
      ready();
      return store.lastMessages(chat, limit);
    },
    async mediaOf(messageId) {
      // The store keeps each chat's last 200 messages, live, synced or pushed.
      return store.find(messageId)?.media ?? null;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  /** The quoted message as Baileys wants it (whole: it copies the content into the quote). */
  function quotedMessage(chat: string, messageId: string): WAMessage {
    return store.raw(chat, messageId) ?? { key: keyOf(chat, messageId), message: { conversation: "" } };
  }
}
