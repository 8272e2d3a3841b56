/**
 * Watchlist online status (pusher/docs `watchlist-events.md`): a user is online while signed in
 * (`pusher:signin`) on at least one connection, on any node. A signed-in connection whose
 * `user_data` carries a `watchlist` of user ids gets `pusher_internal:watchlist_events` —
 * `{"events":[{"name":"online"|"offline","user_ids":[…]}]}` — first with the current status of
 * every watched id, then whenever one of them comes online or goes offline (pusher-js
 * `src/core/watchlist.ts` emits each entry by its name).
 *
 * Cluster-wide "first connection / last connection" is exactly what presence membership already
 * decides atomically across nodes (and cleans up after dead nodes), so each user's online status
 * is a one-member presence channel of its own, `#online-{base64url(user id)}` — a name no client
 * can subscribe to, as `#` names other than `#server-to-user-` are invalid. Watchers join that
 * channel's room with an adapter that turns its `member_added` / `member_removed` into watchlist
 * events.
 */
import { MAX_WATCHLIST_SIZE, PusherEvent } from "@parley/protocol";
import type { WatchlistEvent, WatchlistEventsData } from "@parley/protocol";
import { leavePresence } from "./channels/presence.ts";
import type { Connection } from "./connection.ts";
import type { RealtimeContext } from "./context.ts";
import type { FanoutSubscriber } from "./fanout/message.ts";

/** The internal presence channel whose one member is `userId` while they are online. */
export function onlineChannel(userId: string): string {
  return `#online-${Buffer.from(userId, "utf8").toString("base64url")}`;
}

/** What a watched user's room delivers to one watching connection. */
class WatchAdapter implements FanoutSubscriber {
  constructor(
    private readonly conn: Connection,
    private readonly userId: string,
  ) {}

  get socketId(): string {
    return this.conn.socketId;
  }

  write(frame: Buffer): boolean {
    const event = (JSON.parse(frame.toString("utf8")) as { event?: unknown }).event;
    if (event === PusherEvent.MemberAdded) return sendWatchlistEvents(this.conn, [{ name: "online", user_ids: [this.userId] }]);
    if (event === PusherEvent.MemberRemoved) return sendWatchlistEvents(this.conn, [{ name: "offline", user_ids: [this.userId] }]);
    return true;
  }
}

function sendWatchlistEvents(conn: Connection, events: WatchlistEvent[]): boolean {
  const data: WatchlistEventsData = { events };
  return conn.send({ event: PusherEvent.WatchlistEvents, data: JSON.stringify(data) });
}

/** Online status and watchlists of one app's signed-in connections on this node. */
export class Watchlists {
  /** Signed-in connection → its user id and the rooms it watches. */
  private readonly signedIn = new Map<Connection, { userId: string; watching: Map<string, WatchAdapter> }>();

  /**
   * Marks `conn` online as `userId` (announcing it to watchers when it is the user's first
   * connection anywhere), then watches `watchlist` and sends its current status. A second signin
   * of the same connection replaces its watchlist.
   * @param watchlist user ids as given in user_data; the caller has cut it to {@link MAX_WATCHLIST_SIZE}.
   */
  async signIn(ctx: RealtimeContext, conn: Connection, userId: string, watchlist: readonly string[]): Promise<void> {
    const previous = this.signedIn.get(conn);
    if (previous !== undefined) this.unwatch(ctx, previous.watching);
    const watching = new Map<string, WatchAdapter>();
    this.signedIn.set(conn, { userId, watching });
    if (previous === undefined) {
      const channel = onlineChannel(userId);
      // The fan-out announces the user's first socket (member_added) with the change itself.
      await ctx.fanout.addPresenceMember(channel, conn.socketId, { id: userId }, 1);
      // Closed meanwhile: signOut already removed it (and announced what there was to announce).
      if (this.signedIn.get(conn)?.watching !== watching) return;
    }
    const ids = [...new Set(watchlist)].slice(0, MAX_WATCHLIST_SIZE);
    if (ids.length === 0) return;
    // Rooms first, status second: a change in between arrives twice rather than never.
    for (const id of ids) {
      const adapter = new WatchAdapter(conn, id);
      watching.set(id, adapter);
      ctx.fanout.join(onlineChannel(id), adapter);
    }
    const online = await Promise.all(ids.map(async (id) => (await ctx.fanout.presenceMembers(onlineChannel(id))).length > 0));
    if (this.signedIn.get(conn)?.watching !== watching) return;
    const events: WatchlistEvent[] = [];
    const onlineIds = ids.filter((_, i) => online[i]);
    const offlineIds = ids.filter((_, i) => !online[i]);
    if (onlineIds.length > 0) events.push({ name: "online", user_ids: onlineIds });
    if (offlineIds.length > 0) events.push({ name: "offline", user_ids: offlineIds });
    sendWatchlistEvents(conn, events);
  }

  /** The connection is gone: stops its watching and marks its user offline if it was their last connection anywhere. */
  async signOut(ctx: RealtimeContext, conn: Connection): Promise<void> {
    const state = this.signedIn.get(conn);
    if (state === undefined) return;
    this.signedIn.delete(conn);
    this.unwatch(ctx, state.watching);
    await leavePresence(ctx, onlineChannel(state.userId), conn.socketId, state.userId);
  }

  private unwatch(ctx: RealtimeContext, watching: Map<string, WatchAdapter>): void {
    for (const [id, adapter] of watching) ctx.fanout.leave(onlineChannel(id), adapter);
    watching.clear();
  }
}
