/**
 * Batches one app's webhook events on this node the way Pusher does (support article "What Is
 * The Batch Size and Batch Window For Channels Webhooks": at most 250 ms or 20 events), then
 * hands one delivery per target URL to a durable queue, with the events that target asked for.
 */
import type { Logger } from "pino";
import type { AppWebhookTarget } from "../apps/app-config.ts";
import { encodeWebhookBody, type WebhookEvent, type WebhookEventName } from "./events.ts";

/** One POST to make: what a `pusher.webhook` job carries. */
export interface WebhookDelivery {
  /** The app whose secret signs the body. */
  appId: string;
  url: string;
  /** The exact JSON body, `{time_ms, events}`. */
  body: string;
}

/** Options of {@link WebhookBatcher}. */
export interface WebhookBatcherOptions {
  appId: string;
  targets: readonly AppWebhookTarget[];
  /** Stores a delivery durably (a pg-boss job); rejects when it could not. */
  enqueue: (delivery: WebhookDelivery) => Promise<void>;
  logger: Logger;
  /** Longest wait of the first event of a batch, in ms. Default 250. */
  windowMs?: number;
  /** Events that close a batch at once. Default 20. */
  maxEvents?: number;
  /** Clock in ms since the epoch, for `time_ms`. Default `Date.now`. */
  now?: () => number;
}

/** Collects an app's events and enqueues them in batches; see the module comment. */
export class WebhookBatcher {
  private pending: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly windowMs: number;
  private readonly maxEvents: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookBatcherOptions) {
    this.windowMs = options.windowMs ?? 250;
    this.maxEvents = options.maxEvents ?? 20;
    this.now = options.now ?? Date.now;
  }

  /** True when some target wants events of this name: the caller can skip the work of producing others. */
  wants(name: WebhookEventName): boolean {
    return this.options.targets.some((target) => target.events === null || target.events.includes(name));
  }

  /** Adds an event to the current batch. */
  add(event: WebhookEvent): void {
    if (!this.wants(event.name)) return;
    this.pending.push(event);
    if (this.pending.length >= this.maxEvents) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Enqueues the current batch now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    if (events.length === 0) return;
    this.pending = [];
    const timeMs = this.now();
    for (const target of this.options.targets) {
      const wanted = target.events === null ? events : events.filter((event) => target.events?.includes(event.name));
      if (wanted.length === 0) continue;
      const delivery: WebhookDelivery = { appId: this.options.appId, url: target.url, body: encodeWebhookBody(wanted, timeMs) };
      const enqueued = this.options.enqueue(delivery).catch((error: unknown) => {
        this.options.logger.error(
          { err: error, appId: delivery.appId, url: target.url, events: wanted.length },
          "webhook could not be queued; its events are lost",
        );
      });
      this.inFlight.add(enqueued);
      void enqueued.finally(() => this.inFlight.delete(enqueued));
    }
  }

  /** Flushes and waits until every delivery is queued (or failed to be). Never rejects. */
  async close(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }
}
