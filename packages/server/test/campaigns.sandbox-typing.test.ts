/**
 * Issue 10, part 3, WhatsApp Web pacing as the customer sees it: before each campaign message
 * the recipient's phone shows the business "typing…", then the message arrives and the
 * indicator goes (the gateways' ban-avoidance practice). A short gap (CAMPAIGN_WEB_GAP_MS) keeps
 * it quick; "typing…" takes half of it (pacing.ts, `typingMs`).
 */
import { describe, expect, it } from "vitest";
import type { PhoneEvent } from "../src/providers/whatsapp-web/simulated/network.ts";
import { campaignsOf, phones, seedContacts } from "./campaigns.ts";
import { linkedShop, useSandboxParley } from "./sandbox-shops.ts";

const { network, parley } = useSandboxParley({ CAMPAIGN_WEB_GAP_MS: "300-400" });

/** What one phone shows, in order: "typing…" from whom, "stopped typing", or a message with its text. */
function watch(customer: string): string[] {
  const seen: string[] = [];
  network.watchPhone(customer, (event: PhoneEvent) => {
    seen.push(event.type === "message" ? `message from ${event.message.sender}: ${event.message.body}` : `${event.state} by ${event.from}`);
  });
  return seen;
}

describe("a WhatsApp Web campaign as its recipients see it", () => {
  it("shows the business typing before each message, and no longer once it arrived", { timeout: 60_000 }, async () => {
    const shop = await linkedShop(parley(), "sandbox-typing");
    const businessJid = `${shop.business.slice(1)}@s.whatsapp.net`;
    const numbers = phones(3, 0, "+62827");
    await seedContacts(parley().database.db, shop.workspaceId, numbers, "promo");
    const phonesSee = new Map(numbers.map((customer) => [customer, watch(customer)]));
    const campaigns = campaignsOf(parley().api, shop.workspaceId, shop.token);
    const id = await campaigns.createStarted({
      name: "Typing",
      inbox_id: shop.inboxId,
      message: { body: "Halo {{first_name|Kak}}, promo minggu ini!" },
      audience: { labels: ["promo"], include_never_wrote: true },
    });
    const done = await campaigns.until(id, (c) => c.status === "completed", 30_000, "completion");
    expect(done.counts).toMatchObject({ total: 3, pending: 0, failed: 0 });
    for (const customer of numbers) {
      expect(phonesSee.get(customer)).toEqual([
        `composing by ${businessJid}`,
        `message from ${businessJid}: Halo Customer, promo minggu ini!`,
        `paused by ${businessJid}`,
      ]);
    }
  });
});
