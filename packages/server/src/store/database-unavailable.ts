/**
 * Telling "the database cannot be reached right now" from every other database error, so a
 * request that met an outage answers 503 `service.unavailable` with Retry-After (the client
 * may retry the same request; nothing was committed) instead of 500 `internal`.
 *
 * Sources: node-postgres and pg-pool's messages for lost and refused connections
 * (pg/lib/client.js, pg-pool/index.js), Node's socket error codes, and PostgreSQL's SQLSTATEs
 * (appendix A of its manual): class 08 "connection exception", 57P01–57P03 (the server shutting
 * down or starting), 53300 (too many connections). Drizzle wraps a driver's error in a
 * DrizzleQueryError whose `cause` holds it, hence the walk down the causes.
 */

/** Node's errno codes of a connection that could not be made or was cut. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** SQLSTATEs of a server that is unreachable, going down, starting, or out of connections. */
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300"]);

/** node-postgres and pg-pool messages of lost, refused or timed-out connections (they carry no code). */
const driverMessages = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
];

/** Whether `error` (or one of its causes) says the database is unreachable for now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (socketCodes.has(code) || unavailableStates.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (driverMessages.some((message) => current instanceof Error && current.message.startsWith(message))) return true;
  }
  return false;
}
