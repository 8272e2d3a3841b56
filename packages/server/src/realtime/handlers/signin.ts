/**
 * `pusher:signin` {auth, user_data}: associates the connection with a user id, answered by
 * `pusher:signin_success` or a `pusher:error` (pusher-websockets-protocol.md § `pusher:signin`;
 * signature as pusher-http-node `authenticateUser`). Watchlists are not supported.
 */
import { CloseCode, isValidUserId, PusherEvent, readObjectData } from "@parley/protocol";
import { verifyUserAuth } from "@parley/protocol/signing";
import type { FrameHandler } from "./types.ts";

export const handleSignin: FrameHandler = (ctx, conn, frame) => {
  const data = readObjectData(frame.data);
  const userData = data?.user_data;
  if (typeof userData !== "string" || !verifyUserAuth(ctx.app, conn.socketId, userData, data?.auth)) {
    conn.sendError("Invalid signin: auth must sign socket_id::user::user_data", CloseCode.ConnectionUnauthorized);
    return;
  }
  const id = readObjectData(userData)?.id;
  if (!isValidUserId(id)) {
    conn.sendError("Invalid signin: user_data.id must be a string of 1-128 characters", CloseCode.ConnectionUnauthorized);
    return;
  }
  if (conn.userId !== undefined && conn.userId !== id) {
    conn.sendError("This connection is already signed in as another user", CloseCode.ConnectionUnauthorized);
    return;
  }
  conn.userId = id;
  conn.send({ event: PusherEvent.SigninSuccess, data: { user_data: userData } });
};
