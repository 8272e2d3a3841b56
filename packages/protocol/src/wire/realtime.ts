/**
 * Parley's real-time names: the channels it uses, the events it publishes on them, and what a
 * Pusher-protocol client needs to connect (ARCHITECTURE.md "Real-time contract").
 */
import { z } from "zod";

/** `GET /api/v1/realtime`: connection settings for pusher-js / Echo; `activity_timeout` in seconds. */
export const realtimeInfoSchema = z.object({
  app_key: z.string(),
  auth_endpoint: z.string(),
  ws_path: z.string(),
  protocol: z.number().int(),
  activity_timeout: z.number(),
});
export type RealtimeInfo = z.infer<typeof realtimeInfoSchema>;

/** Parley's event names on its channels. */
export const events = {
  messageReceived: "message.received",
  messageSent: "message.sent",
  messageStatusUpdated: "message.status.updated",
  messageUpdated: "message.updated",
  messageEnriched: "message.enriched",
  conversationCreated: "conversation.created",
  conversationUpdated: "conversation.updated",
  conversationAssigned: "conversation.assigned",
  typing: "typing",
  inboxStatus: "inbox.status",
  inboxQr: "inbox.qr",
  syncProgress: "sync.progress",
  campaignProgress: "campaign.progress",
  contactUpdated: "contact.updated",
} as const;
export type ParleyEventName = (typeof events)[keyof typeof events];

/** The client event agents and visitors whisper while typing (Pusher client events need the `client-` prefix). */
export const clientTypingEvent = "client-typing";

/** Channel names (ARCHITECTURE.md "Real-time contract"). */
export const channels = {
  workspace: (workspaceId: string) => `private-workspace.${workspaceId}`,
  conversation: (workspaceId: string, conversationId: string) => `private-workspace.${workspaceId}.conversation.${conversationId}`,
  presence: (workspaceId: string) => `presence-workspace.${workspaceId}`,
  visitor: (conversationId: string) => `private-visitor.${conversationId}`,
};

const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const channelPatterns = {
  workspace: new RegExp(`^private-workspace\\.(${uuid})$`),
  conversation: new RegExp(`^private-workspace\\.(${uuid})\\.conversation\\.(${uuid})$`),
  presence: new RegExp(`^presence-workspace\\.(${uuid})$`),
  visitor: new RegExp(`^private-visitor\\.(${uuid})$`),
};

/** What a Parley channel name refers to, or null for a name Parley does not use. */
export type ParleyChannel =
  | { kind: "workspace"; workspaceId: string }
  | { kind: "conversation"; workspaceId: string; conversationId: string }
  | { kind: "presence"; workspaceId: string }
  | { kind: "visitor"; conversationId: string };

/** Parses one of Parley's channel names; null when it is not one. */
export function parseParleyChannel(name: string): ParleyChannel | null {
  let match = channelPatterns.workspace.exec(name);
  if (match) return { kind: "workspace", workspaceId: match[1]! };
  match = channelPatterns.conversation.exec(name);
  if (match) return { kind: "conversation", workspaceId: match[1]!, conversationId: match[2]! };
  match = channelPatterns.presence.exec(name);
  if (match) return { kind: "presence", workspaceId: match[1]! };
  match = channelPatterns.visitor.exec(name);
  if (match) return { kind: "visitor", conversationId: match[1]! };
  return null;
}
