/**
 * Prometheus metrics of the real-time server, registered in the registry the caller gives.
 */
import { Counter, Gauge, Histogram } from "prom-client";
import type { Registry } from "prom-client";

/** The metric handles the server updates. Children are pre-bound so hot paths skip label lookups. */
export interface RealtimeMetrics {
  /** `parley_realtime_connections`: open, accepted WebSocket connections on this node. */
  connections: Gauge;
  /** `parley_realtime_messages_total{direction="in"}`: frames received. */
  messagesIn: { inc(n?: number): void };
  /** `parley_realtime_messages_total{direction="out"}`: frames written (one per recipient), counted per broadcast. */
  messagesOut: { inc(n?: number): void };
  /** `parley_realtime_broadcast_latency_seconds`: publish() → bytes handed to every local socket. */
  broadcastLatency: Histogram;
  /** `parley_realtime_slow_consumers_total`: connections dropped because their send buffer was full. */
  slowConsumers: Counter;
}

/**
 * Creates and registers the metrics.
 * @throws {Error} from prom-client when the registry already holds a metric of the same name.
 */
export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  const registers = [registry];
  const messages = new Counter({
    name: "parley_realtime_messages_total",
    help: "WebSocket frames received (direction=in) and written (direction=out, one per recipient).",
    labelNames: ["direction"],
    registers,
  });
  return {
    connections: new Gauge({ name: "parley_realtime_connections", help: "Open WebSocket connections on this node.", registers }),
    messagesIn: messages.labels("in"),
    messagesOut: messages.labels("out"),
    broadcastLatency: new Histogram({
      name: "parley_realtime_broadcast_latency_seconds",
      help: "Time from publish() to the frame being written to every local subscriber, in seconds.",
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    slowConsumers: new Counter({
      name: "parley_realtime_slow_consumers_total",
      help: "Connections dropped because their send buffer exceeded maxBufferedBytes.",
      registers,
    }),
  };
}
