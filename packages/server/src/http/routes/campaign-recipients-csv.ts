import type { CampaignRecipient } from "../../domain/campaigns/campaign.ts";

const columns = [
  "contact_id",
  "contact_name",
  "phone",
  "status",
  "reason",
  "error_code",
  "sent_at",
  "delivered_at",
  "read_at",
  "failed_at",
  "replied_at",
  "opted_out_at",
];

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
function field(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(recipient: CampaignRecipient): string {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return `${[
    recipient.contactId,
    recipient.contactName,
    recipient.phone,
    recipient.status,
    recipient.reason,
    recipient.errorCode,
    iso(recipient.sentAt),
    iso(recipient.deliveredAt),
    iso(recipient.readAt),
    iso(recipient.failedAt),
    iso(recipient.repliedAt),
    iso(recipient.optedOutAt),
  ]
    .map(field)
    .join(",")}\r\n`;
}

/** The recipients CSV, header first, a page at a time: `first`, then `next(lastId)` until a page comes back empty. */
export async function* recipientsCsv(first: CampaignRecipient[], next: (afterId: string) => Promise<CampaignRecipient[]>): AsyncGenerator<string> {
  yield `${columns.join(",")}\r\n`;
  let page = first;
  while (page.length > 0) {
    yield page.map(line).join("");
    page = await next(page[page.length - 1]!.id);
  }
}
