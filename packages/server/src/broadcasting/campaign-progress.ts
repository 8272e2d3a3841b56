/**
 * `campaign.progress` at most a few times a second per campaign (issue 10, part 5). The domain
 * publishes `campaign.changed` on every send, ack, reply or command; this publisher passes every
 * other event through and, per campaign, publishes its status and counts (one read) at
 * most once every `intervalMs`: the first change at once, the rest of a burst after the interval.
 */
import type { DomainEvent, EventPublisher } from "../domain/events.ts";
import type { Store } from "../domain/ports.ts";

/** Default spacing of one campaign's progress events, ms: 250 (≤ 4 a second). */
export const progressIntervalMs = 250;

export function campaignProgressPublisher(
  inner: EventPublisher,
  store: Pick<Store, "campaigns">,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): EventPublisher {
  const intervalMs = options.intervalMs ?? progressIntervalMs;
  /** Per campaign: when the last progress went out, and whether another is due. */
  const state = new Map<string, { lastMs: number; timer: NodeJS.Timeout | null }>();

  const emit = async (workspaceId: string, campaignId: string) => {
    const entry = state.get(campaignId);
    if (entry) {
      entry.lastMs = Date.now();
      entry.timer = null;
    }
    try {
      // One statement: during a campaign this runs up to 4 times a second.
      const progress = await store.campaigns.progress(workspaceId, campaignId);
      if (!progress) return;
      await inner.publish([{ type: "campaign.progress", workspaceId, campaignId, ...progress }]);
    } catch (error) {
      options.onError?.(error);
    }
  };

  const touch = (workspaceId: string, campaignId: string) => {
    const entry = state.get(campaignId) ?? { lastMs: 0, timer: null };
    state.set(campaignId, entry);
    if (entry.timer) return;
    const waitMs = Math.max(0, entry.lastMs + intervalMs - Date.now());
    entry.timer = setTimeout(() => void emit(workspaceId, campaignId), waitMs);
    entry.timer.unref?.();
  };

  return {
    async publish(events: DomainEvent[]) {
      const passed: DomainEvent[] = [];
      for (const event of events) {
        if (event.type === "campaign.changed") touch(event.workspaceId, event.campaignId);
        else passed.push(event);
      }
      if (passed.length > 0) await inner.publish(passed);
    },
  };
}
