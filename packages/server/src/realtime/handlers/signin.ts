/**
 * `pusher:signin` {auth, user_data}: associates the connection with a user id, answered by
 * `pusher:signin_success` or a `pusher:error` with code 4009 (pusher-websockets-protocol.md
 * § `pusher:signin`; signature as pusher-http-node `authenticateUser`). A `watchlist` in
 * user_data subscribes the connection to its users' online status (watchlist.ts); beyond 100 ids
 * the rest are ignored with a 4302 error, as Pusher does.
 */
import { CLOSE_CODE_REASONS, CloseCode, isValidUserId, MAX_WATCHLIST_SIZE, PusherEvent, readObjectData } from "@parley/protocol";
import { verifyUserAuth } from "@parley/protocol/signing";
import type { FrameHandler } from "./types.ts";

export const handleSignin: FrameHandler = async (ctx, conn, frame) => {
  if (!ctx.userAuthentication) {
    conn.sendError("User authentication is disabled for this app", CloseCode.ConnectionUnauthorized);
    return;
  }
  const data = readObjectData(frame.data);
  const userData = data?.user_data;
  if (typeof userData !== "string" || !verifyUserAuth(ctx.app, conn.socketId, userData, data?.auth)) {
    conn.sendError("Invalid signin: auth must sign socket_id::user::user_data", CloseCode.ConnectionUnauthorized);
    return;
  }
  const user = readObjectData(userData);
  const id = user?.id;
  if (!isValidUserId(id)) {
    conn.sendError("Invalid signin: user_data.id must be a string of 1-128 characters", CloseCode.ConnectionUnauthorized);
    return;
  }
  if (conn.userId !== undefined && conn.userId !== id) {
    conn.sendError("This connection is already signed in as another user", CloseCode.ConnectionUnauthorized);
    return;
  }
  const watchlist = user?.watchlist;
  if (watchlist !== undefined && !(Array.isArray(watchlist) && watchlist.every(isValidUserId))) {
    conn.sendError("Invalid signin: user_data.watchlist must be an array of user ids", CloseCode.ConnectionUnauthorized);
    return;
  }
  conn.userId = id;
  conn.send({ event: PusherEvent.SigninSuccess, data: { user_data: userData } });
  const ids = watchlist ?? [];
  if (ids.length > MAX_WATCHLIST_SIZE) conn.sendError(CLOSE_CODE_REASONS[CloseCode.WatchlistLimitExceeded], CloseCode.WatchlistLimitExceeded);
  await ctx.watchlists.signIn(ctx, conn, id, ids.slice(0, MAX_WATCHLIST_SIZE));
};
