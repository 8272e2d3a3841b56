import type { OptOutSource } from "@parley/protocol/values";

/** A customer in a workspace: a phone number (WhatsApp) or a website visitor. */
export interface Contact {
  id: string;
  workspaceId: string;
  phone: string | null;
  visitorId: string | null;
  name: string | null;
  email: string | null;
  avatarUrl: string | null;
  lastSeenAt: Date | null;
  blocked: boolean;
  /** Names from the workspace's label catalogue. */
  labels: string[];
  /** Free-form fields (from a CSV import's extra columns, or typed by an agent), all text. */
  customAttributes: Record<string, string>;
  /** When the contact opted out of campaigns, or null; `optOutSource` says how. */
  optedOutAt: Date | null;
  optOutSource: OptOutSource | null;
  createdAt: Date;
}
