/**
 * The `whatsapp-web.js` engine: a WhatsApp Web session in a headless Chromium (whatsapp-web.js
 * 1.34, `index.d.ts`, `src/Client.js`), mapped onto the engine port (domain/whatsapp-web/engine.ts).
 * The session lives in the inbox's sealed credentials through RemoteAuth (remote-auth-store.ts),
 * so another node resumes it without a QR.
 *
 * Library events are handled one at a time in arrival order (some need a lookup first, such as a
 * group's participants), so the port's order holds. Two watchdogs cover hangs the library does
 * not report: a session that authenticates but never becomes `ready` (WhatsApp Web stuck loading;
 * Client.js throws `ready timeout` into the page and emits nothing), and a connection that stays
 * in a retrying state (`TIMEOUT`, `OPENING`, `PAIRING`); a closed page (Chromium crashed or the
 * page detached) ends the session at once. Each reports `disconnected` `connection_lost`, so the
 * manager starts a new engine.
 */
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import wwebjs, { type Store } from "whatsapp-web.js";
import { statusOfWhatsappWebJsAck } from "../../../domain/whatsapp-web/acks.ts";
import type { DisconnectReason, EngineEvent, EngineGroupParticipant, EngineMedia, WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import type { SessionCredentials } from "../../../domain/whatsapp-web/session-credentials.ts";
import type { WhatsappWebJsClient, WhatsappWebJsGroupNotification, WhatsappWebJsMessage } from "./client.ts";
import { chatOfMessage, disconnectReasonOf, groupChangeOf } from "./library-events.ts";
import { clientJidOf, engineMessageOf, parleyJidOf } from "./message.ts";
import { reactionMessageOf } from "./reaction.ts";
import { sendThroughClient } from "./outbound.ts";
import { remoteAuthStore } from "./remote-auth-store.ts";

/** What `makeClient` gets to build a client: RemoteAuth's options. */
export interface WhatsappWebJsClientOptions {
  store: Store;
  clientId: string;
  dataPath: string;
}

export interface WhatsappWebJsEngineOptions {
  credentials: SessionCredentials;
  /** Builds the client; by default a real `Client` on /usr/bin/chromium with RemoteAuth (tests pass the fake). */
  makeClient?: (options: WhatsappWebJsClientOptions) => WhatsappWebJsClient;
  /** Names the Chromium profile directory (`RemoteAuth-<clientId>`): one per session on a node. Letters, digits, `_`, `-`. Default `parley`. */
  clientId?: string;
  /** Where RemoteAuth unpacks profiles. Default `<tmpdir>/parley-whatsapp-web-js`. */
  dataPath?: string;
  /** How long after `authenticated` the session may take to become ready, in ms. Default 60 000. */
  readyTimeoutMs?: number;
  /** How long the connection may stay in a retrying state before the session is given up, in ms. Default 60 000. */
  stalledTimeoutMs?: number;
  logger?: Pick<Logger, "warn">;
}

/** How often RemoteAuth re-uploads the profile, in ms (the library's minimum: 60 000). */
const backupSyncIntervalMs = 60_000;
const retryingStates = new Set(["TIMEOUT", "OPENING", "PAIRING"]);
/** Serialized ids of recent messages by id, for quoting and reacting (whatsapp-web.js wants `<fromMe>_<chat>_<id>`); as many media handles. */
const rememberedIds = 5_000;

/** The real client: Chromium from the system (Puppeteer's own download cannot work here), sandbox off as in a container. */
export function realWhatsappWebJsClient({ store, clientId, dataPath }: WhatsappWebJsClientOptions): WhatsappWebJsClient {
  return new wwebjs.Client({
    authStrategy: new wwebjs.RemoteAuth({ store, clientId, dataPath, backupSyncIntervalMs }),
    puppeteer: { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] },
  });
}

/** A whatsapp-web.js session over `credentials`. */
export function createWhatsappWebJsEngine(options: WhatsappWebJsEngineOptions): WhatsAppEngine {
  const { credentials, makeClient = realWhatsappWebJsClient, clientId = "parley", logger } = options;
  const dataPath = options.dataPath ?? join(tmpdir(), "parley-whatsapp-web-js");
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stalledTimeoutMs = options.stalledTimeoutMs ?? 60_000;
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  const serializedIds = new Map<string, string>();
  /** Media of the recent messages read (live or by the sync), by id, for `mediaOf`. */
  const mediaById = new Map<string, EngineMedia>();
  let client: WhatsappWebJsClient | null = null;
  let me: string | null = null;
  let readyTimer: NodeJS.Timeout | undefined;
  let stalledTimer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();

  const ready = () => {
    if (!client || !me) throw new Error("The WhatsApp session is not ready.");
    return { client, me };
  };
  const remember = (message: { id: { id: string; _serialized: string } }) => {
    serializedIds.delete(message.id.id);
    serializedIds.set(message.id.id, message.id._serialized);
    if (serializedIds.size > rememberedIds) serializedIds.delete(serializedIds.keys().next().value!);
  };
  /** The engine message of a library message, its ids and media remembered. */
  const mapped = async (message: WhatsappWebJsMessage, self: string) => {
    remember(message);
    const engineMessage = await engineMessageOf(message, self);
    if (engineMessage?.media) {
      mediaById.set(engineMessage.id, engineMessage.media);
      if (mediaById.size > rememberedIds) mediaById.delete(mediaById.keys().next().value!);
    }
    return engineMessage;
  };
  // A message not seen by this process is most likely the customer's, in the chat being answered.
  const serializedIdOf = (chat: string, id: string) => serializedIds.get(id) ?? `false_${clientJidOf(chat)}_${id}`;

  /** Ends the session (once): forgets the credentials when logged out, closes Chromium, reports why. */
  async function end(from: WhatsappWebJsClient, reason: DisconnectReason, detail: string | null): Promise<void> {
    if (client !== from) return;
    client = null;
    me = null;
    clearTimeout(readyTimer);
    clearTimeout(stalledTimer);
    if (reason === "logged_out") await credentials.clear().catch((error: unknown) => logger?.warn({ err: error }, "Could not forget WhatsApp Web credentials"));
    from.removeAllListeners();
    void from.destroy().catch(() => {});
    emit({ type: "disconnected", reason, detail });
  }

  function listen(current: WhatsappWebJsClient): void {
    const inOrder =
      <Args extends unknown[]>(handle: (...args: Args) => Promise<void> | void) =>
      (...args: Args) => {
        queue = queue
          .then(() => (client === current ? handle(...args) : undefined))
          .catch((error: unknown) => logger?.warn({ err: error }, "A whatsapp-web.js event could not be mapped"));
      };
    let pageWatched = false;
    const watchPage = () => {
      if (pageWatched || !current.pupPage) return;
      pageWatched = true;
      current.pupPage.once("close", () => void end(current, "connection_lost", "The WhatsApp Web page closed."));
    };

    current.on(
      "qr",
      inOrder((code: string) => {
        watchPage();
        emit({ type: "qr", code });
      }),
    );
    current.on(
      "authenticated",
      inOrder(() => {
        watchPage();
        clearTimeout(readyTimer);
        readyTimer = setTimeout(() => void end(current, "connection_lost", `Not ready ${readyTimeoutMs} ms after authenticating.`), readyTimeoutMs);
        emit({ type: "authenticated" });
      }),
    );
    current.on(
      "ready",
      inOrder(() => {
        clearTimeout(readyTimer);
        const wid = current.info.wid._serialized;
        me = parleyJidOf(wid) ?? wid;
        emit({ type: "ready", me: { jid: me, name: current.info.pushname || null } });
      }),
    );
    current.on(
      "disconnected",
      inOrder((reason: string) => end(current, disconnectReasonOf(reason), reason)),
    );
    current.on(
      "change_state",
      inOrder((state: string) => {
        if (state === "CONNECTED") clearTimeout(stalledTimer);
        else if (retryingStates.has(state) && me) {
          clearTimeout(stalledTimer);
          stalledTimer = setTimeout(() => void end(current, "connection_lost", `WhatsApp Web stayed ${state} for ${stalledTimeoutMs} ms.`), stalledTimeoutMs);
        }
      }),
    );
    current.on(
      "message_create",
      inOrder(async (message: WhatsappWebJsMessage) => {
        // Client.js attaches its message listeners just before `ready`: nothing comes earlier.
        if (!me) return;
        const engineMessage = await mapped(message, me);
        if (engineMessage) emit({ type: "message", message: engineMessage });
      }),
    );
    current.on(
      "message_reaction",
      inOrder((reaction) => {
        const mapped = me ? reactionMessageOf(reaction, me) : null;
        if (mapped) emit({ type: "message", message: mapped });
      }),
    );
    current.on(
      "message_ack",
      inOrder((message: WhatsappWebJsMessage, ack: number) => {
        const status = statusOfWhatsappWebJsAck(ack);
        const chat = chatOfMessage(message);
        if (status && chat) emit({ type: "ack", chat, messageId: message.id.id, status, at: new Date() });
      }),
    );
    current.on(
      "message_revoke_everyone",
      inOrder((message: WhatsappWebJsMessage) => {
        const chat = chatOfMessage(message);
        if (chat) emit({ type: "revoke", chat, messageId: message.id.id, at: new Date() });
      }),
    );
    current.on(
      "message_edit",
      inOrder((message: WhatsappWebJsMessage, newBody: string) => {
        const chat = chatOfMessage(message);
        if (chat) emit({ type: "edit", chat, messageId: message.id.id, body: String(newBody), at: new Date() });
      }),
    );
    const group = (kind: "join" | "leave" | "admin" | "update") =>
      inOrder(async (notification: WhatsappWebJsGroupNotification) => {
        const change = groupChangeOf(kind, notification.type);
        if (!change) return;
        const chat = await current.getChatById(notification.chatId);
        const participants: EngineGroupParticipant[] = (chat.participants ?? []).flatMap((participant) => {
          const jid = parleyJidOf(participant.id._serialized);
          return jid ? [{ jid, isAdmin: participant.isAdmin || participant.isSuperAdmin }] : [];
        });
        emit({
          type: "group",
          group: { jid: notification.chatId, subject: chat.name, participants },
          change,
          participants: change === "created" || change === "subject" ? [] : notification.recipientIds.flatMap((id) => parleyJidOf(id) ?? []),
        });
      });
    current.on("group_join", group("join"));
    current.on("group_leave", group("leave"));
    current.on("group_admin_changed", group("admin"));
    current.on("group_update", group("update"));
  }

  return {
    kind: "whatsapp-web.js",
    async start() {
      if (client) throw new Error("This WhatsApp session is already started.");
      const current = makeClient({ store: remoteAuthStore(credentials, dataPath), clientId, dataPath });
      client = current;
      listen(current);
      // initialize() settles late (after authentication) or never: events carry the progress.
      current.initialize().catch((error: unknown) => void end(current, "connection_lost", `whatsapp-web.js failed to start: ${String(error)}`));
    },
    async stop() {
      const current = client;
      if (!current) return;
      client = null;
      me = null;
      clearTimeout(readyTimer);
      clearTimeout(stalledTimer);
      current.removeAllListeners();
      await current.destroy();
      emit({ type: "disconnected", reason: "stopped", detail: null });
    },
    async logout() {
      const current = client;
      client = null;
      me = null;
      clearTimeout(readyTimer);
      clearTimeout(stalledTimer);
      current?.removeAllListeners();
      // A failed unlink (the page already gone) must not keep the credentials: the owner can still remove the device on the phone.
      await current?.logout().catch((error: unknown) => logger?.warn({ err: error }, "whatsapp-web.js could not unlink the device"));
      await current?.destroy().catch(() => {});
      await credentials.clear();
      if (current) emit({ type: "disconnected", reason: "logged_out", detail: null });
    },
    async requestPairingCode(phoneNumber) {
      if (!client || me) throw new Error("A pairing code can only be requested while the session waits to be linked.");
      // The library wants the number in international format without symbols (`6281234567890`).
      return client.requestPairingCode(phoneNumber.replace(/\D/g, ""));
    },
    async send(chat, content, { quotedId = null } = {}) {
      const { client: current } = ready();
      const quoted = quotedId ? serializedIdOf(chat, quotedId) : null;
      const sent = await sendThroughClient(current, clientJidOf(chat), content, quoted, (id) => serializedIdOf(chat, id));
      // A reaction has no id from the library: a unique stand-in, the reaction itself echoes back as a message.
      if (!sent) return { id: `reaction:${randomUUID()}`, at: new Date() };
      remember(sent);
      return { id: sent.id.id, at: new Date(sent.timestamp * 1000) };
    },
    async markRead(chat) {
      // WhatsApp Web marks a whole chat seen, not single messages.
      await ready().client.sendSeen(clientJidOf(chat));
    },
    async setTyping(chat, typing) {
      const target = await ready().client.getChatById(clientJidOf(chat));
      if (typing) await target.sendStateTyping();
      else await target.clearState();
    },
    async listChats({ since, limit }) {
      const chats = await ready().client.getChats();
      return chats
        .flatMap((chat) => {
          const jid = parleyJidOf(chat.id._serialized);
          if (!jid || !chat.timestamp) return [];
          const participants = chat.participants?.flatMap((participant) => {
            const participantJid = parleyJidOf(participant.id._serialized);
            return participantJid ? [{ jid: participantJid, isAdmin: participant.isAdmin || participant.isSuperAdmin }] : [];
          });
          return [
            { jid, name: chat.name || null, isGroup: chat.isGroup, lastMessageAt: new Date(chat.timestamp * 1000), ...(participants ? { participants } : {}) },
          ];
        })
        .filter((chat) => chat.lastMessageAt >= since)
        .sort((a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime())
        .slice(0, limit);
    },
    async fetchMessages(chat, limit) {
      const { client: current, me: self } = ready();
      const messages = await (await current.getChatById(clientJidOf(chat))).fetchMessages({ limit });
      const result = [];
      for (const message of messages) {
        const engineMessage = await mapped(message, self);
        if (engineMessage) result.push(engineMessage);
      }
      return result;
    },
    async mediaOf(messageId) {
      return mediaById.get(messageId) ?? null;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
