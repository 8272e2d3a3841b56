/**
 * The customer-service window (Meta, WhatsApp Cloud API "customer service windows"): free-form
 * messages may be sent only within `windowMs` of the customer's last message, measured from the
 * timestamp of that message; the business's own sends do not reopen it.
 */
export function serviceWindowState(lastInboundAt: Date | null, now: Date, windowMs: number | null): { open: boolean; closesAt: Date | null } {
  if (windowMs === null) return { open: true, closesAt: null };
  if (lastInboundAt === null) return { open: false, closesAt: null };
  const closesAt = new Date(lastInboundAt.getTime() + windowMs);
  return { open: now.getTime() < closesAt.getTime(), closesAt };
}
