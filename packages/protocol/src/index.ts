/**
 * @parley/protocol — browser-safe entry point (no `node:` imports: the widget bundles it).
 * Pusher Channels protocol v7 wire types, codes, channel names, frames and presence data.
 * HMAC signing lives in `@parley/protocol/signing` (Node only).
 */
export * from "./pusher/codes.ts";
export * from "./pusher/messages.ts";
export * from "./pusher/channels.ts";
export * from "./pusher/frames.ts";
export * from "./pusher/presence.ts";
export * from "./pusher/limits.ts";
export * from "./pusher/socket-id.ts";
