/**
 * The strategy for each channel kind.
 */
import type { ChannelKind } from "@parley/protocol";
import type { ChannelStrategy } from "./common.ts";
import { presenceChannel } from "./presence.ts";
import { privateChannel } from "./private.ts";
import { publicChannel } from "./public.ts";
import { serverToUserChannel } from "./server-to-user.ts";

export const channelStrategies: Readonly<Record<ChannelKind, ChannelStrategy>> = {
  public: publicChannel,
  private: privateChannel,
  "private-encrypted": privateChannel,
  presence: presenceChannel,
  "server-to-user": serverToUserChannel,
};

export type { ChannelStrategy, SubscribeRequest } from "./common.ts";
