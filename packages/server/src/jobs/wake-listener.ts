/**
 * Wake-ups through PostgreSQL's LISTEN/NOTIFY. The scheduler issues `pg_notify(channel, queue)`
 * in the transaction that inserts a job; PostgreSQL delivers a notification only when that
 * transaction commits (and never for one rolled back), to every listening session on every
 * node, so workers fetch a committed job at once instead of at their next poll. Polling stays
 * the fallback: a missed notification delays a job by at most one polling interval.
 */
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Logger } from "pino";
import type { DatabaseHandle } from "../store/database.ts";

export interface WakeListener {
  close(): Promise<void>;
}

/** The notification channel of a pg-boss schema (already checked to be a plain identifier). */
export function wakeChannel(schema: string): string {
  return `${schema}_wake`;
}

/**
 * Listens on `channel` and calls `onWake(payload)` for each notification. On PostgreSQL it holds
 * one connection of its own (outside the pool), reconnecting after a drop and calling
 * `onReconnect` then, since notifications sent while disconnected are lost.
 * Throws when the first LISTEN fails.
 */
export async function listenForWakeups(
  database: DatabaseHandle,
  channel: string,
  handlers: { onWake(payload: string): void; onReconnect(): void; logger: Logger },
): Promise<WakeListener> {
  if (database.pglite) return listenOnPglite(database.pglite, channel, handlers.onWake);
  if (database.pool) return listenOnPostgres(database.pool, channel, handlers);
  throw new Error("The database handle has neither a PGlite instance nor a pool.");
}

async function listenOnPglite(pglite: PGlite, channel: string, onWake: (payload: string) => void): Promise<WakeListener> {
  const unlisten = await pglite.listen(channel, onWake);
  return {
    close: async () => {
      if (!pglite.closed) await unlisten();
    },
  };
}

const reconnectDelayMs = 1_000;

async function listenOnPostgres(
  pool: pg.Pool,
  channel: string,
  handlers: { onWake(payload: string): void; onReconnect(): void; logger: Logger },
): Promise<WakeListener> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    // The pool's own settings (URL, credentials, TLS) for a connection the pool does not lend out.
    const next = new pg.Client(pool.options);
    next.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onWake(message.payload);
    });
    next.on("error", (error) => {
      if (client !== next) return;
      handlers.logger.warn({ err: error }, "job wake-up listener lost its connection; polling until it reconnects");
      void next.end().catch(() => {});
      reconnectLater();
    });
    next.on("end", () => {
      if (client === next) reconnectLater();
    });
    await next.connect();
    try {
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  };

  const reconnectLater = () => {
    client = undefined;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(handlers.onReconnect, (error: unknown) => {
        handlers.logger.warn({ err: error }, "job wake-up listener could not reconnect");
        reconnectLater();
      });
    }, reconnectDelayMs);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
