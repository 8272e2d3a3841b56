/**
 * The part of whatsapp-web.js 1.34 (`index.d.ts`) Parley uses, as types cut from the library's
 * own: the engine talks to this, the real `Client` is assignable to it (engine.ts's default
 * `makeClient` returns one, so a library upgrade that changes a used member breaks the build),
 * and the fake client implements
 * it (so the fake cannot grow members or shapes the library does not have).
 */
import type { Chat, Client, ClientInfo, GroupChat, GroupNotification, Message, MessageAck, MessageMedia, Reaction, WAState } from "whatsapp-web.js";

/** A message as the engine reads it (`message_create`, `message_ack`, `fetchMessages`...). */
export type WhatsappWebJsMessage = Pick<
  Message,
  "id" | "from" | "to" | "author" | "fromMe" | "timestamp" | "type" | "body" | "hasMedia" | "hasQuotedMsg" | "vCards" | "pollName" | "rawData"
> & {
  /**
   * The typings say `Location`, but Message.js `_patch` leaves it undefined on every message that
   * is not a location (index.d.ts's own example shows `location: undefined`): read it as optional.
   */
  location: Message["location"] | undefined;
  downloadMedia(): Promise<Pick<MessageMedia, "mimetype" | "data" | "filename"> | undefined>;
  getQuotedMessage(): Promise<Pick<Message, "id"> | undefined>;
};

/** A chat as the engine reads it; groups add `participants`. */
export type WhatsappWebJsChat = Pick<Chat, "id" | "name" | "isGroup" | "timestamp" | "sendSeen" | "sendStateTyping" | "clearState"> & {
  participants?: GroupChat["participants"];
  fetchMessages(options: { limit: number }): Promise<WhatsappWebJsMessage[]>;
};

/** A group notification (`group_join`, `group_leave`, `group_admin_changed`, `group_update`). */
export type WhatsappWebJsGroupNotification = Pick<GroupNotification, "chatId" | "author" | "recipientIds" | "timestamp"> & {
  // `create` is a real gp2 subtype (a group you were added to at its creation) that the typings' enum lacks.
  type: GroupNotification["type"] | "create";
};

/** The listener arguments of each event Parley listens to, as the library emits them. */
export interface WhatsappWebJsEvents {
  qr: [qr: string];
  authenticated: [];
  /** Only from LocalAuth/RemoteAuth restores that fail; RemoteAuth never emits it (falls back to a QR). */
  auth_failure: [message: string];
  ready: [];
  /** A WAState, `LOGOUT`, or `Max qrcode retries reached`. */
  disconnected: [reason: WAState | "LOGOUT" | string];
  change_state: [state: WAState];
  message_create: [message: WhatsappWebJsMessage];
  message_ack: [message: WhatsappWebJsMessage, ack: MessageAck];
  message_revoke_everyone: [message: WhatsappWebJsMessage, revokedMessage?: WhatsappWebJsMessage | null];
  message_edit: [message: WhatsappWebJsMessage, newBody: string, previousBody: string];
  message_reaction: [reaction: Pick<Reaction, "id" | "msgId" | "reaction" | "senderId" | "timestamp">];
  group_join: [notification: WhatsappWebJsGroupNotification];
  group_leave: [notification: WhatsappWebJsGroupNotification];
  group_admin_changed: [notification: WhatsappWebJsGroupNotification];
  group_update: [notification: WhatsappWebJsGroupNotification];
}

/**
 * The member of a whatsapp-web.js enum (`MessageTypes`, `GroupNotificationTypes`, `WAState`) whose
 * value is `value`, for code that cannot load the library's run-time enums (the fake client).
 * `value` must be one of the enum's values in the installed typings, so a value the library
 * renames or drops stops compiling; a plain `"add" as GroupNotificationTypes` would accept any
 * string.
 */
export function enumValue<Enum extends string>(value: `${Enum}`): Enum {
  return value as Enum;
}

/** The puppeteer page running WhatsApp Web: it closes when Chromium crashes or the page is detached. */
export interface WhatsappWebJsPage {
  once(event: "close", listener: () => void): unknown;
}

/** The `Client` members Parley calls. */
export interface WhatsappWebJsClient {
  info: Pick<ClientInfo, "wid" | "pushname">;
  pupPage?: WhatsappWebJsPage | undefined;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  logout(): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  sendMessage(
    chatId: string,
    content: string | MessageMedia,
    options?: Pick<
      NonNullable<Parameters<Client["sendMessage"]>[2]>,
      "quotedMessageId" | "caption" | "sendAudioAsVoice" | "sendMediaAsDocument" | "sendMediaAsSticker"
    >,
  ): Promise<WhatsappWebJsMessage>;
  sendReaction(messageId: string, reaction: string): Promise<void>;
  sendSeen(chatId: string): Promise<boolean>;
  getChats(): Promise<WhatsappWebJsChat[]>;
  getChatById(chatId: string): Promise<WhatsappWebJsChat>;
  on<Event extends keyof WhatsappWebJsEvents>(event: Event, listener: (...args: WhatsappWebJsEvents[Event]) => void): unknown;
  removeAllListeners(): unknown;
}
