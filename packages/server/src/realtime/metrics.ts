/**
 * Prometheus metrics of the real-time server, registered in the registry the caller gives. Every
 * series carries an `app` label (the Pusher app id): one server per hosted app shares them.
 */
import { Counter, Gauge, Histogram } from "prom-client";
import type { Metric, Registry } from "prom-client";

/** The metric handles the server updates. Children are pre-bound so hot paths skip label lookups. */
export interface RealtimeMetrics {
  /** `parley_realtime_connections{app}`: open, accepted WebSocket connections on this node. */
  connections: { inc(n?: number): void; dec(n?: number): void };
  /** `parley_realtime_messages_total{direction="in"}`: frames received. */
  messagesIn: { inc(n?: number): void };
  /** `parley_realtime_messages_total{direction="out"}`: frames written (one per recipient), counted per broadcast. */
  messagesOut: { inc(n?: number): void };
  /** `parley_realtime_broadcast_latency_seconds{app}`: publish() → bytes handed to every local socket. */
  broadcastLatency: { observe(value: number): void };
  /** `parley_realtime_slow_consumers_total{app}`: connections dropped because their send buffer was full. */
  slowConsumers: { inc(n?: number): void };
}

/**
 * The metrics of one app's server: created in `registry` by the first server, shared by the
 * others (each binds its own `app` label).
 * @param app the app id, the `app` label.
 * @throws {Error} when the registry holds a metric of one of these names that Parley did not create.
 */
export function createRealtimeMetrics(registry: Registry, app: string): RealtimeMetrics {
  const registers = [registry];
  const messages = shared(
    registry,
    "parley_realtime_messages_total",
    Counter,
    () =>
      new Counter({
        name: "parley_realtime_messages_total",
        help: "WebSocket frames received (direction=in) and written (direction=out, one per recipient).",
        labelNames: ["app", "direction"],
        registers,
      }),
  );
  return {
    connections: shared(
      registry,
      "parley_realtime_connections",
      Gauge,
      () => new Gauge({ name: "parley_realtime_connections", help: "Open WebSocket connections on this node.", labelNames: ["app"], registers }),
    ).labels(app),
    messagesIn: messages.labels(app, "in"),
    messagesOut: messages.labels(app, "out"),
    broadcastLatency: shared(
      registry,
      "parley_realtime_broadcast_latency_seconds",
      Histogram,
      () =>
        new Histogram({
          name: "parley_realtime_broadcast_latency_seconds",
          help: "Time from publish() to the frame being written to every local subscriber, in seconds.",
          labelNames: ["app"],
          buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
          registers,
        }),
    ).labels(app),
    slowConsumers: shared(
      registry,
      "parley_realtime_slow_consumers_total",
      Counter,
      () =>
        new Counter({
          name: "parley_realtime_slow_consumers_total",
          help: "Connections dropped because their send buffer exceeded maxBufferedBytes.",
          labelNames: ["app"],
          registers,
        }),
    ).labels(app),
  };
}

function shared<T extends Metric>(registry: Registry, name: string, kind: abstract new (...args: never[]) => T, create: () => T): T {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  if (!(existing instanceof kind)) throw new Error(`The registry already holds a metric ${name} of another kind`);
  return existing;
}
