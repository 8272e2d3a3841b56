/** Campaign and recipient rows → domain shapes, shared by the campaigns repository's two files. */
import type { Campaign, CampaignRecipient } from "../../domain/campaigns/campaign.ts";
import type { campaigns } from "../schema/index.ts";

export function toCampaign(row: typeof campaigns.$inferSelect): Campaign {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    inboxId: row.inboxId,
    name: row.name,
    status: row.status,
    message: row.message,
    audience: row.audience,
    pacing: row.pacing,
    scheduleAt: row.scheduleAt,
    createdBy: row.createdBy,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    cancelledAt: row.cancelledAt,
    waitingUntil: row.waitingUntil,
    waitingReason: row.waitingReason,
    createdAt: row.createdAt,
  };
}

export const dateOf = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value)));

/** A recipient row joined with its contact's name and phone. */
export interface RecipientRow {
  id: string;
  contact_id: string;
  contact_name: string | null;
  phone: string | null;
  status: CampaignRecipient["status"];
  reason: string | null;
  error_code: string | null;
  message_id: string | null;
  provider_message_id: string | null;
  sent_at: unknown;
  delivered_at: unknown;
  read_at: unknown;
  failed_at: unknown;
  replied_at: unknown;
  opted_out_at: unknown;
}

export function toRecipient(row: RecipientRow): CampaignRecipient {
  return {
    id: row.id,
    contactId: row.contact_id,
    contactName: row.contact_name,
    phone: row.phone,
    status: row.status,
    reason: row.reason,
    errorCode: row.error_code,
    messageId: row.message_id,
    providerMessageId: row.provider_message_id,
    sentAt: dateOf(row.sent_at),
    deliveredAt: dateOf(row.delivered_at),
    readAt: dateOf(row.read_at),
    failedAt: dateOf(row.failed_at),
    repliedAt: dateOf(row.replied_at),
    optedOutAt: dateOf(row.opted_out_at),
  };
}
