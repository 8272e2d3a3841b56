/**
 * One dispatcher's sending (see dispatch.ts): watches the campaign's status while it works,
 * paces and sends claimed batches, and records each outcome. Unsent claims of a batch are put
 * back in line when the campaign stops being `running` (pause, cancel).
 */
import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import { ProviderError, type Provider, type ProviderInbox } from "../providers/provider.ts";
import type { Campaign } from "./campaign.ts";
import type { CampaignWaiting } from "./campaign-waiting.ts";
import type { CampaignRepository } from "./campaigns.port.ts";
import type { SendableRecipient } from "./claim-batch.ts";
import { OutcomeRecorder } from "./outcome-recorder.ts";
import type { PendingOutcomeWrites } from "./outcome-writes.ts";
import type { DispatchSettings } from "./dispatch.ts";
import { randomGapMs, type ResolvedPacing, type SlotPacer, typingMs } from "./pacing.ts";
import { refusalOutcome } from "./provider-refusals.ts";

export interface SendRunContext {
  store: { campaigns: Pick<CampaignRepository, "renewLease" | "record"> };
  events: EventPublisher;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  random(): number;
  provider: Pick<Provider, "send" | "typing">;
  inbox: ProviderInbox;
  campaign: Campaign;
  pacing: ResolvedPacing;
  pacer: SlotPacer | null;
  settings: DispatchSettings;
  /** Says why the campaign waits: set on Meta's 130429, cleared by the first send after it. */
  waiting: CampaignWaiting;
  /** Where outcomes held for `settings.outcomeCoalesceMs` are registered, so acks wait for them. */
  pendingOutcomes?: PendingOutcomeWrites | undefined;
  /** Resolves when a send may start: live work in this process goes first, for a bounded time (dispatch.ts, `giveWay`). */
  giveWay?: (() => Promise<void>) | undefined;
}

/** How long a WhatsApp Web campaign waits when its session cannot send (phone offline, reconnecting), ms. */
export const SESSION_RETRY_MS = 30_000;

export class SendRun {
  /** False once the campaign is seen paused, cancelled, completed or gone, or the inbox cannot send now. */
  running = true;
  /** Set when the inbox itself cannot send now (a WhatsApp Web session down): the run stops and the campaign waits until then. */
  inboxUnavailableUntil: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | null = null;
  private readonly recorder: OutcomeRecorder;

  constructor(private readonly context: SendRunContext) {
    this.recorder = new OutcomeRecorder(context.store, context.clock, context.events, context.campaign, {
      // Held only where acks can wait for them.
      coalesceMs: context.pendingOutcomes ? context.settings.outcomeCoalesceMs : 0,
      ...(context.pendingOutcomes ? { pending: context.pendingOutcomes } : {}),
    });
  }

  /** Starts re-reading the status (and renewing the lease) every `statusCheckMs`. */
  watch(): void {
    this.timer = setInterval(() => {
      this.checking ??= this.check().finally(() => {
        this.checking = null;
      });
    }, this.context.settings.statusCheckMs);
  }

  /** Stops watching and writes every outcome (and waiting state) not yet written. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await this.recorder.close();
    await this.context.waiting.settled();
  }

  /** How many recipients to claim at once: about `statusCheckMs` of sends, so a pause has little to put back. */
  batchSize(): number {
    const { pacing, settings } = this.context;
    if (pacing.kind === "rate") return Math.max(1, Math.min(200, Math.ceil((pacing.perSecond * settings.statusCheckMs) / 1000)));
    return pacing.gap.maxMs >= 1000 ? 1 : 50;
  }

  /** Sleeps `ms` in steps, returning false as soon as the campaign stops running. */
  async sleepWhileRunning(ms: number): Promise<boolean> {
    const until = this.context.clock.now().getTime() + ms;
    for (let left = ms; left > 0 && this.running; left = until - this.context.clock.now().getTime()) {
      await this.context.sleep(Math.min(left, this.context.settings.statusCheckMs));
    }
    return this.running;
  }

  /** Sends a claimed batch; returns how many were sent. */
  async send(batch: SendableRecipient[]): Promise<number> {
    let sent = 0;
    const one = async (item: SendableRecipient) => {
      // Before the slot is taken, so that sends held back go out paced, not all at once.
      await this.context.giveWay?.();
      if (!(await this.waitTurn(item))) this.recorder.add({ id: item.recipientId, messageId: item.messageId, kind: "released", notBefore: null, refund: true });
      // Counted after the await: `sent += await …` would read `sent` before it, and lose the other lanes' sends.
      else if (await this.sendOne(item)) sent++;
    };
    const { pacing, settings } = this.context;
    // WhatsApp Web sends one at a time (a person types one message after another); only a gap
    // configured to 0 (tests, demos: CAMPAIGN_WEB_GAP_MS="0") lets sends overlap.
    if (pacing.kind === "gaps" && pacing.gap.maxMs > 0) {
      for (const item of batch) await one(item);
    } else {
      let next = 0;
      // Enough calls in flight that a slow provider (100 ms a call) does not hold the rate down.
      const inFlight = pacing.kind === "gaps" ? settings.maxInFlight : Math.max(settings.maxInFlight, Math.ceil(pacing.perSecond / 4));
      const lanes = Array.from({ length: Math.min(inFlight, batch.length) }, async () => {
        while (next < batch.length) await one(batch[next++]!);
      });
      await Promise.all(lanes);
    }
    await this.recorder.flush();
    return sent;
  }

  /** Waits for the recipient's slot (Cloud API) or gap and typing (WhatsApp Web); false when the campaign stopped meanwhile. */
  private async waitTurn(item: SendableRecipient): Promise<boolean> {
    if (!this.running) return false;
    const { pacing, pacer, clock } = this.context;
    if (pacing.kind === "rate") {
      const slot = pacer!.reserve(clock.now().getTime());
      const waitMs = slot - clock.now().getTime();
      if (waitMs > 0 && !(await this.sleepWhileRunning(waitMs))) return false;
      for (let windowMs = pacer!.windowWaitMs(clock.now().getTime()); windowMs > 0; windowMs = pacer!.windowWaitMs(clock.now().getTime())) {
        if (!(await this.sleepWhileRunning(windowMs))) return false;
      }
      pacer!.started(clock.now().getTime());
      return this.running;
    }
    const gap = randomGapMs(pacing.gap, this.context.random);
    const typing = typingMs(item.text, gap);
    if (!(await this.sleepWhileRunning(gap - typing))) return false;
    if (typing > 0) {
      await this.showTyping(item, true);
      if (!(await this.sleepWhileRunning(typing))) {
        // Paused or cancelled while "typing…": the customer should not see it hang until WhatsApp times it out.
        await this.showTyping(item, false);
        return false;
      }
    }
    return true;
  }

  /** Shows or clears "typing…" in the recipient's chat; best effort, as for agents: a chat that does not show it still gets the message. */
  private async showTyping(item: SendableRecipient, isTyping: boolean): Promise<void> {
    await this.context.provider.typing(this.context.inbox, { recipient: item.recipient, isTyping, lastInboundProviderMessageId: null }).catch(() => undefined);
  }

  private async sendOne(item: SendableRecipient): Promise<boolean> {
    const base = { id: item.recipientId, messageId: item.messageId };
    try {
      const receipt = await this.context.provider.send(this.context.inbox, {
        messageId: item.messageId,
        recipient: item.recipient,
        content: item.content,
        replyToProviderMessageId: null,
      });
      this.recorder.add({ ...base, kind: "sent", providerMessageId: receipt.providerMessageId });
      void this.context.waiting.clearIfOver(this.context.clock.now());
      return true;
    } catch (error) {
      const refusal =
        error instanceof ProviderError
          ? error
          : new ProviderError({ retry: "later", reason: `The message could not be sent: ${error instanceof Error ? error.message : String(error)}` });
      const outcome = refusalOutcome(refusal, item.attempts);
      const nowMs = this.context.clock.now().getTime();
      switch (outcome.kind) {
        case "inbox_backoff":
          this.context.pacer?.holdUntil(nowMs + outcome.waitMs);
          // The whole campaign waits for Meta, not one recipient: say so until the back-off ends.
          void this.context.waiting.show({ until: new Date(nowMs + outcome.waitMs), reason: "throughput" });
          this.recorder.add({ ...base, kind: "released", notBefore: null, refund: true });
          break;
        case "recipient_backoff":
          if (this.context.pacing.kind === "gaps" && refusal.providerCode === null) {
            // The session, not this recipient, is the problem: everyone waits for it.
            this.inboxUnavailableUntil = new Date(nowMs + SESSION_RETRY_MS);
            this.running = false;
            this.recorder.add({ ...base, kind: "released", notBefore: null, refund: true });
            break;
          }
          this.recorder.add({ ...base, kind: "released", notBefore: new Date(nowMs + outcome.waitMs), refund: refusal.providerCode === "131056" });
          break;
        case "failed":
          this.recorder.add({ ...base, kind: "failed", reason: outcome.reason, code: outcome.code, optOut: outcome.optOut });
          break;
      }
      return false;
    }
  }

  private async check(): Promise<void> {
    const { store, campaign, clock, settings } = this.context;
    try {
      const status = await store.campaigns.renewLease(campaign.id, new Date(clock.now().getTime() + settings.leaseMs));
      if (status !== "running") this.running = false;
    } catch {
      // A failed read keeps the last answer; the next tick tries again, and the lease outlives a few misses.
    }
  }
}
