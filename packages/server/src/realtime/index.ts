/**
 * Parley's Pusher Channels protocol v7 server (WebSocket + HTTP API).
 */
export { RealtimeServer } from "./server.ts";
export type { ChannelStats, ClientEventNotice, RealtimeApp, RealtimeServerOptions } from "./types.ts";
export { Fanout } from "./fanout/fanout.ts";
export { LocalFanout } from "./fanout/local.ts";
export { RedisFanout } from "./fanout/redis.ts";
export type { RedisFanoutOptions } from "./fanout/redis.ts";
export type {
  ChannelStatsFilter,
  EventMessage,
  FanoutMessage,
  FanoutNode,
  FanoutSubscriber,
  PresenceJoin,
  StoredPresenceMember,
  TerminateUserMessage,
} from "./fanout/message.ts";
export { pusherHttpApi } from "./http-api.ts";
export type { PusherHttpApiOptions } from "./http-api.ts";
