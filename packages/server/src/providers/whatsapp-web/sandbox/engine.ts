/**
 * The `sandbox` engine: a WhatsApp Web session on the simulated network (simulated/network.ts),
 * for newcomers without a spare phone and for tests. It keeps the engine port's event order and
 * stores its device credentials through `SessionCredentials` like the real engines, so a restart
 * (or another node) resumes it without a new QR.
 */
import type { EngineEvent, EngineMessage, WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import type { SessionCredentials } from "../../../domain/whatsapp-web/session-credentials.ts";
import type { OutboundContent } from "../../../domain/providers/provider.ts";
import type { DeviceConnection, DeviceEvent, SimulatedContent, SimulatedMessage, SimulatedWhatsApp } from "../simulated/network.ts";

const credentialsKey = "sandbox-device";

/** A sandbox session of one inbox on `network`, its credentials in `credentials`. */
export function createSandboxEngine(network: SimulatedWhatsApp, credentials: SessionCredentials): WhatsAppEngine {
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  let connection: DeviceConnection | null = null;
  let link: ReturnType<SimulatedWhatsApp["requestLink"]> | null = null;
  let device: string | null = null;
  let me: string | null = null;

  const ready = () => {
    if (!connection || !me) throw new Error("The WhatsApp session is not ready.");
    return { connection, me };
  };
  const phoneOfMe = () => `+${ready().me.split("@")[0]}`;

  function onDeviceEvent(event: DeviceEvent): void {
    switch (event.type) {
      case "qr":
      case "linked":
        return;
      case "message":
        emit({ type: "message", message: toEngineMessage(event.message, event.fromMe) });
        return;
      case "ack":
      case "revoke":
      case "edit":
      case "group":
        emit(event);
        return;
      case "history":
        // The sandbox reads chats straight from the network (listChats, fetchMessages): it
        // never reports pushed history, whenever the sync ran.
        return;
      case "closed":
        connection = null;
        me = null;
        if (event.reason === "logged_out") void credentials.clear();
        emit({ type: "disconnected", reason: event.reason, detail: null });
        return;
    }
  }

  async function connect(stored: string): Promise<boolean> {
    const opened = network.connect(stored, onDeviceEvent);
    if (!opened) return false;
    connection = opened;
    device = stored;
    me = opened.account();
    emit({ type: "authenticated" });
    emit({ type: "ready", me: { jid: me!, name: null } });
    return true;
  }

  return {
    kind: "sandbox",
    async start() {
      const stored = (await credentials.get([credentialsKey])).get(credentialsKey);
      if (stored && (await connect(stored))) return;
      // Unlinked meanwhile (logged out from the phone): forget it and show a new QR.
      if (stored) await credentials.clear();
      link = network.requestLink((event) => {
        if (event.type === "qr") emit({ type: "qr", code: event.code });
        if (event.type === "linked") {
          link = null;
          void credentials.set(new Map([[credentialsKey, event.credentials]])).then(() => connect(event.credentials));
        }
      });
    },
    async stop() {
      link?.cancel();
      link = null;
      const wasOpen = connection !== null;
      connection?.close();
      connection = null;
      me = null;
      if (wasOpen) emit({ type: "disconnected", reason: "stopped", detail: null });
    },
    async logout() {
      link?.cancel();
      link = null;
      if (device) network.logoutDevice(device);
      connection = null;
      me = null;
      device = null;
      await credentials.clear();
    },
    async requestPairingCode(phoneNumber) {
      if (!link) throw new Error("A pairing code can only be requested while the session waits to be linked.");
      return link.requestPairingCode(phoneNumber);
    },
    async send(chat, content, options = {}) {
      const sent = network.send(phoneOfMe(), addressOf(chat), {
        ...(await toSimulatedContent(content)),
        quotedId: content.kind === "reaction" ? content.targetProviderMessageId : (options.quotedId ?? null),
      });
      return { id: sent.id, at: sent.sentAt };
    },
    async markRead(chat, messageIds) {
      const account = phoneOfMe();
      for (const messageId of messageIds) {
        const message = network.history(account, chat).find((candidate) => candidate.id === messageId);
        if (message && message.sender !== ready().me) network.read(account, messageId);
      }
    },
    async setTyping(chat, typing) {
      // The customer's phone shows "typing…" until the business pauses or its message arrives.
      network.chatState(phoneOfMe(), addressOf(chat), typing ? "composing" : "paused");
    },
    async listChats({ since, limit }) {
      return network
        .chatsOf(phoneOfMe())
        .filter((chat) => chat.lastMessageAt !== null && chat.lastMessageAt >= since)
        .sort((a, b) => b.lastMessageAt!.getTime() - a.lastMessageAt!.getTime())
        .slice(0, limit);
    },
    async fetchMessages(chat, limit) {
      const { me: self } = ready();
      return network
        .history(phoneOfMe(), chat)
        .slice(-limit)
        .map((message) => toEngineMessage({ ...message, chat }, message.sender === self));
    },
    async mediaOf(messageId) {
      // The simulated network keeps every message: synced media is there as long as the sandbox runs.
      const message = network.message(messageId);
      return message ? toEngineMessage(message, false).media : null;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** How the network addresses a chat: a group by its JID, a person by their E.164 number. */
const addressOf = (chat: string) => (chat.endsWith("@g.us") ? chat : `+${chat.split("@")[0]}`);

function toEngineMessage(message: SimulatedMessage, fromMe: boolean): EngineMessage {
  const media = message.media;
  return {
    id: message.id,
    chat: message.chat,
    sender: message.sender,
    senderName: message.senderName,
    fromMe,
    sentAt: message.sentAt,
    type: message.revoked ? "text" : message.type,
    body: message.revoked ? null : (message.editedBody ?? message.body),
    media: media ? { mime: media.mime, filename: media.filename, download: async () => media.bytes } : null,
    location: message.location,
    contacts: message.contacts,
    quotedId: message.quotedId,
  };
}

async function toSimulatedContent(content: OutboundContent): Promise<Omit<SimulatedContent, "quotedId">> {
  const none = { location: null, contacts: null, media: null };
  switch (content.kind) {
    case "text":
      return { ...none, type: "text", body: content.body };
    case "media":
      return {
        ...none,
        type: content.type,
        body: content.caption,
        media: { mime: content.media.mime, filename: content.media.filename, bytes: await content.media.read() },
      };
    case "template":
      return { ...none, type: "text", body: [content.template.name, ...content.template.variables].join(" ") };
    case "reaction":
      return { ...none, type: "reaction", body: content.emoji };
  }
}
