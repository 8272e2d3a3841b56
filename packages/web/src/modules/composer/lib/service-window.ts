/**
 * WhatsApp's customer-service window: free-form replies only within 24 h of the customer's last
 * message; after it, only approved templates (Meta's Cloud API policy, WHATSAPP.md).
 */
import type { Conversation } from "../../../lib/types.ts";

/** Whether free-form replies are refused now (`now` in ms). False for inboxes without a window. */
export function isWindowClosed(window: Conversation["window"] | undefined, now: number): boolean {
  if (!window) return false;
  if (!window.open) return true;
  return window.closes_at !== null && Date.parse(window.closes_at) <= now;
}
