import type { InboxProvider, InboxStatus, MessagingLimit, SyncStatus, WhatsappEngine, WidgetLocale, WidgetPosition } from "@parley/protocol/values";

export type { InboxProvider, InboxStatus, MessagingLimit, SyncStatus, WhatsappEngine };

/** A WhatsApp Web inbox's initial chat sync: chats to import and imported so far. */
export interface InboxSync {
  status: SyncStatus;
  total: number;
  synced: number;
}

/** A WhatsApp Web linking QR: the code, as a PNG data URL too, and when WhatsApp replaces it. */
export interface InboxQr {
  code: string;
  imageDataUrl: string;
  expiresAt: Date;
}

/** Widget appearance, kept in the inbox's config. */
export interface WidgetSettings {
  /** CSS colour of the bubble and the visitor's messages. */
  color: string;
  position: WidgetPosition;
  /** Shown above the composer before the first message. */
  greeting: string | null;
  /** Language of the widget's own words; `auto` follows the visitor's browser. */
  locale: WidgetLocale;
}

/**
 * What anyone in the workspace may see of a WhatsApp Cloud API inbox's settings: the ids, and
 * whether each secret is set, never the secrets themselves.
 */
export interface CloudApiSettings {
  phoneNumberId: string;
  /** WhatsApp Business Account id; needed to list templates. */
  wabaId: string | null;
  /** Graph API base URL with its version, e.g. `https://graph.facebook.com/v25.0`. */
  graphBaseUrl: string;
  hasAccessToken: boolean;
  hasAppSecret: boolean;
  hasVerifyToken: boolean;
  /**
   * The number's messaging limit: unique contacts per rolling 24 h campaigns from this inbox
   * stay within (Meta's "Messaging limits"; 250 until an admin says otherwise).
   */
  messagingLimit: MessagingLimit;
}

/** The secrets of a Cloud API inbox, sealed (encrypted) at rest in the inbox's config. */
export const cloudApiSecretNames = ["access_token", "app_secret", "verify_token"] as const;
export type CloudApiSecretName = (typeof cloudApiSecretNames)[number];

/** One connected source of conversations. */
export interface Inbox {
  id: string;
  workspaceId: string;
  provider: InboxProvider;
  name: string;
  status: InboxStatus;
  /** Why the status is what it is ("logged out from the phone"), or null. */
  statusReason: string | null;
  phoneNumber: string | null;
  /** WhatsApp Web inboxes: the library running the session. */
  engine: WhatsappEngine | null;
  /** WhatsApp Web inboxes waiting to be linked: the QR on screen. */
  qr: InboxQr | null;
  /** WhatsApp Web inboxes: the initial chat sync, once one started. */
  sync: InboxSync | null;
  isPrimary: boolean;
  widgetKey: string | null;
  widget: WidgetSettings | null;
  /** Cloud API settings (whatsapp_cloud inboxes only). */
  cloudApi: CloudApiSettings | null;
  /** Sum of the unread counts of the inbox's conversations. */
  unreadCount: number;
  createdAt: Date;
}

export const defaultWidgetSettings: WidgetSettings = { color: "#2563eb", position: "right", greeting: null, locale: "auto" };
