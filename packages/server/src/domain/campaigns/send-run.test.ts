import { describe, expect, it } from "vitest";
import type { Campaign } from "./campaign.ts";
import { CampaignWaiting } from "./campaign-waiting.ts";
import type { RecipientOutcome } from "./campaigns.port.ts";
import type { SendableRecipient } from "./claim-batch.ts";
import { defaultDispatchSettings } from "./dispatch.ts";
import { SlotPacer } from "./pacing.ts";
import { SendRun } from "./send-run.ts";

const campaign: Campaign = {
  id: "campaign-1",
  workspaceId: "workspace-1",
  inboxId: "inbox-1",
  name: "Promo",
  status: "running",
  message: { body: "Halo" },
  audience: { labels: ["promo"] },
  pacing: { per_second: 1000 },
  scheduleAt: null,
  createdBy: null,
  startedAt: new Date(),
  completedAt: null,
  cancelledAt: null,
  waitingUntil: null,
  waitingReason: null,
  createdAt: new Date(),
};

const recipient = (index: number): SendableRecipient => ({
  recipientId: `recipient-${index}`,
  messageId: `message-${index}`,
  recipient: { conversationId: `conversation-${index}`, contactId: `contact-${index}`, phone: `+62812000000${index}`, groupJid: null },
  content: { kind: "text", body: "Halo" },
  text: "Halo",
  attempts: 1,
});

/** A Cloud API run at 1,000 sends/s whose provider records what it was asked to send. */
function cloudRun(giveWay?: () => Promise<void>) {
  const provided: string[] = [];
  const recorded: RecipientOutcome[] = [];
  const events = { publish: async () => {} };
  const run = new SendRun({
    store: { campaigns: { renewLease: async () => "running", record: async (outcomes) => void recorded.push(...outcomes) } },
    events,
    clock: { now: () => new Date() },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    provider: {
      send: async (_inbox, message) => {
        provided.push(message.messageId);
        return { providerMessageId: `wamid.${message.messageId}`, status: "sent" };
      },
      typing: async () => {},
    },
    inbox: { id: "inbox-1", workspaceId: "workspace-1", provider: "whatsapp_cloud", config: {} },
    campaign,
    pacing: { kind: "rate", perSecond: 1000, dailyCap: Number.POSITIVE_INFINITY },
    pacer: new SlotPacer(1000),
    settings: defaultDispatchSettings,
    waiting: new CampaignWaiting({ campaigns: { setWaiting: async () => {} } }, events, campaign),
    giveWay,
  });
  return { run, provided, recorded };
}

describe("SendRun giving way to live work", () => {
  it("starts no send while live work holds it back, then sends every claimed recipient once", async () => {
    let release!: () => void;
    const liveWorkEnded = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { run, provided, recorded } = cloudRun(() => liveWorkEnded);
    const sending = run.send([recipient(1), recipient(2), recipient(3)]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(provided).toEqual([]);

    release();
    expect(await sending).toBe(3);
    expect(provided.sort()).toEqual(["message-1", "message-2", "message-3"]);
    expect(recorded.map((outcome) => [outcome.id, outcome.kind]).sort()).toEqual([
      ["recipient-1", "sent"],
      ["recipient-2", "sent"],
      ["recipient-3", "sent"],
    ]);
  });

  it("sends at once when nothing asks it to give way", async () => {
    const { run, provided } = cloudRun();
    expect(await run.send([recipient(1), recipient(2)])).toBe(2);
    expect(provided.sort()).toEqual(["message-1", "message-2"]);
  });
});
