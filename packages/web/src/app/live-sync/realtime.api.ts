import { http } from "../../lib/http.ts";
import type { RealtimeInfo } from "../../lib/types.ts";

export const realtimeApi = {
  /** What a Pusher-protocol client needs to connect to Parley's socket. */
  info: () => http<RealtimeInfo>("GET", "/api/v1/realtime"),
};
