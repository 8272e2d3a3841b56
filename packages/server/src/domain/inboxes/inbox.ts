import type { InboxProvider, InboxStatus, WidgetPosition } from "@parley/protocol/values";

export type { InboxProvider, InboxStatus };

/** Widget appearance, kept in the inbox's config. */
export interface WidgetSettings {
  /** CSS colour of the bubble and the visitor's messages. */
  color: string;
  position: WidgetPosition;
  /** Shown above the composer before the first message. */
  greeting: string | null;
}

/** One connected source of conversations. */
export interface Inbox {
  id: string;
  workspaceId: string;
  provider: InboxProvider;
  name: string;
  status: InboxStatus;
  phoneNumber: string | null;
  isPrimary: boolean;
  widgetKey: string | null;
  widget: WidgetSettings | null;
  /** Sum of the unread counts of the inbox's conversations. */
  unreadCount: number;
  createdAt: Date;
}

export const defaultWidgetSettings: WidgetSettings = { color: "#2563eb", position: "right", greeting: null };
