/** The whole Drizzle schema, one file per aggregate. */
export * from "./tenancy.ts";
export * from "./inboxes.ts";
export * from "./contacts.ts";
export * from "./conversations.ts";
export * from "./messages.ts";
export * from "./widget-sessions.ts";
export * from "./webhooks.ts";
export * from "./whatsapp-sessions.ts";
export * from "./knowledge.ts";
export * from "./campaigns.ts";
export * from "./intelligence.ts";
