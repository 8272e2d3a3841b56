import type { InboxProvider } from "../inboxes/inbox.ts";
/**
 * The customer-service window: how long after a customer's last message a business may send
 * free-form messages.
 *
 * WhatsApp Cloud API rule (Meta, "Pricing: customer service windows" and the send-messages
 * reference): when a customer messages a business, a 24-hour window opens (or restarts) in
 * which any message type may be sent; outside it only approved templates are delivered (Meta
 * answers 131047, re-engagement). The window runs from the `timestamp` Meta gives the
 * customer's message, not from when the webhook reached Parley, and only the customer's
 * messages move it: the business's own sends, templates included, never reopen it.
 */

/** WhatsApp's customer-service window, in ms (24 h). */
export const whatsappServiceWindowMs = 24 * 60 * 60 * 1000;

/** Whether free-form messages may be sent now, and until when. */
export interface ServiceWindowState {
  open: boolean;
  /** When the window closes (or closed): `lastInboundAt + windowMs`; null without one. */
  closesAt: Date | null;
}

/**
 * The window's state at `now`.
 * - `windowMs` null (the provider has no window, e.g. the website widget): always open,
 *   `closesAt` null.
 * - `lastInboundAt` null (the customer never wrote): closed, `closesAt` null.
 * - Otherwise open while `now < lastInboundAt + windowMs`; at exactly `windowMs` after the
 *   customer's message it is closed ("within 24 hours").
 *
 * @param lastInboundAt the provider's timestamp of the customer's latest message
 * @param windowMs the provider's window in ms (`ProviderCapabilities.customerServiceWindowMs`)
 */
export function serviceWindowState(lastInboundAt: Date | null, now: Date, windowMs: number | null): ServiceWindowState {
  if (windowMs === null) return { open: true, closesAt: null };
  if (lastInboundAt === null) return { open: false, closesAt: null };
  const closesAt = new Date(lastInboundAt.getTime() + windowMs);
  return { open: now.getTime() < closesAt.getTime(), closesAt };
}

/**
 * The customer-service window of an inbox kind, in ms, or null when it has none: only the
 * WhatsApp Cloud API enforces one (WhatsApp Web sessions and the website widget do not).
 */
export function serviceWindowMsOf(provider: InboxProvider): number | null {
  return provider === "whatsapp_cloud" ? whatsappServiceWindowMs : null;
}
