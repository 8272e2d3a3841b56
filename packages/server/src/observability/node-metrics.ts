/**
 * The gauges an operator watches per node besides the real-time ones (realtime/metrics.ts):
 * what the node is, the WhatsApp sessions it holds, and the queues behind it. The queue depths
 * are read from PostgreSQL when Prometheus scrapes, so every node reports the same cluster-wide
 * figures (aggregate them with `max`, not `sum`); a scrape during a database outage keeps the
 * last figures rather than failing `/metrics`.
 */
import { Gauge, type Registry } from "prom-client";
import type { QueueDepth } from "../jobs/pg-boss.ts";

/** Where the gauges read their values. */
export interface NodeMetricSources {
  nodeId: string;
  roles: readonly string[];
  /** WhatsApp Web sessions this node holds now. */
  whatsappSessions(): number;
  /** Jobs per queue kind, cluster-wide (jobs/pg-boss.ts `depths`). */
  jobDepths(): Promise<QueueDepth[]>;
  /** WhatsApp Cloud API webhook deliveries stored and not processed yet, cluster-wide. */
  webhookDeliveriesWaiting(): Promise<number>;
}

/** Longest a scrape waits for one database count, in ms. */
const readTimeoutMs = 2_000;

/**
 * Registers `parley_node_info{node_id,roles}`, `parley_whatsapp_sessions`,
 * `parley_jobs_waiting{queue}`, `parley_jobs_active{queue}` and
 * `parley_webhook_deliveries_waiting` in `registry`.
 * @throws {Error} from prom-client when the registry already holds one of them.
 */
export function registerNodeMetrics(registry: Registry, sources: NodeMetricSources): void {
  const registers = [registry];
  new Gauge({ name: "parley_node_info", help: "This node: its id and roles (always 1).", labelNames: ["node_id", "roles"], registers }).set(
    { node_id: sources.nodeId, roles: sources.roles.join(",") },
    1,
  );
  new Gauge({
    name: "parley_whatsapp_sessions",
    help: "WhatsApp Web sessions this node holds.",
    registers,
    collect() {
      this.set(sources.whatsappSessions());
    },
  });
  // Both job gauges come from one query per scrape.
  const depths = oncePerScrape(() => latest(sources.jobDepths));
  new Gauge({
    name: "parley_jobs_waiting",
    help: "Jobs created or waiting for a retry, per queue, cluster-wide.",
    labelNames: ["queue"],
    registers,
    async collect() {
      for (const depth of (await depths()) ?? []) this.set({ queue: depth.queue }, depth.waiting);
    },
  });
  new Gauge({
    name: "parley_jobs_active",
    help: "Jobs running, per queue, cluster-wide.",
    labelNames: ["queue"],
    registers,
    async collect() {
      for (const depth of (await depths()) ?? []) this.set({ queue: depth.queue }, depth.active);
    },
  });
  new Gauge({
    name: "parley_webhook_deliveries_waiting",
    help: "WhatsApp Cloud API webhook deliveries stored and not processed yet, cluster-wide.",
    registers,
    async collect() {
      const count = await latest(sources.webhookDeliveriesWaiting);
      if (count !== undefined) this.set(count);
    },
  });
}

/** `read`, sharing one call among the callers of the same second (one scrape). */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (last === undefined || Date.now() - last.at > 1_000) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/** `read()`'s value, or undefined when it fails or takes longer than {@link readTimeoutMs}. */
async function latest<T>(read: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      read(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), readTimeoutMs);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
