import { Counter, Registry, collectDefaultMetrics } from "prom-client";
import type { EventPublisher } from "../domain/events.ts";

/** A registry with Node's default process metrics; every Parley metric registers here. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "parley_" });
  return registry;
}

/**
 * Wraps an EventPublisher to count messages: `parley_messages_total{direction="in"|"out"}`
 * (customer messages received, agent messages sent).
 */
export function countingMessages(inner: EventPublisher, registry: Registry): EventPublisher {
  const messages = new Counter({
    name: "parley_messages_total",
    help: "Messages stored, by direction (in: from customers, out: from agents).",
    labelNames: ["direction"],
    registers: [registry],
  });
  return {
    async publish(events) {
      for (const event of events) {
        if (event.type === "message.received") messages.inc({ direction: "in" });
        else if (event.type === "message.sent") messages.inc({ direction: "out" });
      }
      await inner.publish(events);
    },
  };
}
