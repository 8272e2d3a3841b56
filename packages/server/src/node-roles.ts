/**
 * What a node does, so a cluster can give each kind of work its own nodes
 * (`parley start --role api,realtime,worker`; README "Deployment"):
 *
 * - `api`: Parley's HTTP API, the web app, the widget and its assets, channel authorisation
 *   (`/broadcasting/auth`) and providers' webhooks.
 * - `realtime`: the Pusher server: WebSocket connections on `/app/{key}` and the Pusher HTTP API
 *   (`/apps/{id}/...`) that backends publish through, so one host name serves what a Pusher or
 *   Reverb client expects of one.
 * - `worker`: the durable jobs (sends, webhook processing, media downloads) and the WhatsApp Web
 *   sessions.
 *
 * Every node serves `GET /api/v1/health` and `GET /metrics`, and every node publishes events
 * (through Redis to the realtime nodes) and schedules jobs (in PostgreSQL for the workers).
 */
export const nodeRoles = ["api", "realtime", "worker"] as const;

/** One of {@link nodeRoles}. */
export type NodeRole = (typeof nodeRoles)[number];

/**
 * Reads a comma-separated role list (`"api,realtime"`), in the canonical order, without repeats.
 * @throws {Error} naming the unknown role, or when the list is empty.
 */
export function parseNodeRoles(text: string): NodeRole[] {
  const given = text
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role !== "");
  const unknown = given.find((role) => !(nodeRoles as readonly string[]).includes(role));
  if (unknown !== undefined) throw new Error(`Unknown role "${unknown}": use ${nodeRoles.join(", ")} (comma-separated).`);
  if (given.length === 0) throw new Error(`Give at least one role: ${nodeRoles.join(", ")}.`);
  return nodeRoles.filter((role) => given.includes(role));
}
