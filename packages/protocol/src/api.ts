/**
 * Parley's public wire contract, declared once and shared by the server, the agent web app and
 * the widget: zod schemas of every JSON shape (types derived with `z.infer`), the value lists they
 * use, the error codes, and the real-time channel and event names. Browser-safe (no Node imports).
 * Code that must not bundle zod (the widget) imports from here with `import type` only, or takes
 * the value lists from `@parley/protocol/values`.
 * Source of truth: ARCHITECTURE.md "Real-time contract" and the issues' contracts.
 */
export * from "./wire/values.ts";
export * from "./wire/media.ts";
export * from "./wire/template.ts";
export * from "./wire/message.ts";
export * from "./wire/send.ts";
export * from "./wire/contact.ts";
export * from "./wire/group.ts";
export * from "./wire/conversation.ts";
export * from "./wire/inbox.ts";
export * from "./wire/tenancy.ts";
export * from "./wire/widget.ts";
export * from "./wire/realtime.ts";
export * from "./wire/events.ts";
export * from "./wire/knowledge.ts";
export * from "./wire/intelligence.ts";
export * from "./wire/campaign.ts";
export * from "./wire/workspace-settings.ts";
export * from "./wire/errors.ts";
