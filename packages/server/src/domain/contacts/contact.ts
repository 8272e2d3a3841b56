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
  createdAt: Date;
}
