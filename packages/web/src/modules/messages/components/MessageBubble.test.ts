import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { ThreadMessage } from "../../../lib/types.ts";
import { makeEnrichment, makeMessage } from "../../../testing/factories.ts";
import { senderColor } from "../../../ui/sender-colors.ts";
import { toThreadMessage } from "../lib/message-list.ts";
import MessageBubble from "./MessageBubble.vue";

const nameOf = () => "Ana";

function bubble(message: ThreadMessage) {
  return mount(MessageBubble, { props: { message, firstInGroup: true, lastInGroup: true, senderName: "", nameOf, canReply: true } });
}

describe("message bubble", () => {
  it("shows a message deleted for everyone as deleted, without its text or attachment", () => {
    const message = toThreadMessage(
      makeMessage({
        direction: "inbound",
        body: null,
        type: "image",
        media: null,
        deleted_at: "2026-11-29T10:00:00.000Z",
      }),
    );
    const wrapper = bubble(message);
    expect(wrapper.get('[data-testid="message-body"]').text()).toBe("This message was deleted");
    expect(wrapper.find("img").exists()).toBe(false);
  });

  it("marks an edited message, and one written on the business's phone", () => {
    const edited = bubble(toThreadMessage(makeMessage({ direction: "inbound", body: "2 pcs", edited_at: "2026-11-29T10:00:00.000Z" })));
    expect(edited.get('[data-testid="edited"]').text()).toBe("Edited");
    expect(edited.get('[data-testid="message-body"]').text()).toBe("2 pcs");
    const fromPhone = bubble(toThreadMessage(makeMessage({ direction: "outbound", status: "sent", body: "Sudah dikirim", sent_from_phone: true })));
    expect(fromPhone.find('[data-testid="sent-from-phone"]').exists()).toBe(true);
    expect(
      bubble(toThreadMessage(makeMessage({ direction: "outbound", body: "From Parley" })))
        .find('[data-testid="sent-from-phone"]')
        .exists(),
    ).toBe(false);
  });

  it("shows the intent and sentiment of an enriched customer message, and nothing before or on replies", () => {
    const enrichment = makeEnrichment();
    const enriched = bubble(toThreadMessage(makeMessage({ direction: "inbound", body: "Barangnya rusak", enrichment })));
    expect(enriched.get('[data-testid="intent-chip"]').text()).toBe("Complaint");
    expect(enriched.get('[data-testid="sentiment-chip"]').text()).toBe("negative");
    expect(
      bubble(toThreadMessage(makeMessage({ direction: "inbound", body: "Halo" })))
        .find('[data-testid="enrichment-chips"]')
        .exists(),
    ).toBe(false);
    expect(
      bubble(toThreadMessage(makeMessage({ direction: "outbound", body: "Maaf kak", enrichment })))
        .find('[data-testid="enrichment-chips"]')
        .exists(),
    ).toBe(false);
  });

  it("says which number sent a reply that failed over from its own", () => {
    const viaBackup = bubble(
      toThreadMessage(makeMessage({ direction: "outbound", status: "delivered", body: "Masih kak", sent_via: { inbox_id: "i2", name: "Cadangan" } })),
    );
    expect(viaBackup.get('[data-testid="sent-via"]').text()).toBe("Sent via Cadangan");
    expect(
      bubble(toThreadMessage(makeMessage({ direction: "outbound", body: "Own number" })))
        .find('[data-testid="sent-via"]')
        .exists(),
    ).toBe(false);
  });

  it("offers Retry on a failed outbound message and names what went wrong", async () => {
    const message: ThreadMessage = {
      ...toThreadMessage(makeMessage({ direction: "outbound", status: "failed", body: "Hello?", client_message_id: "c-9" })),
      local: "failed",
      failed_reason: "Can't reach Parley.",
    };
    const wrapper = bubble(message);
    expect(wrapper.get('[role="img"]').attributes("aria-label")).toBe("Not sent");
    expect(wrapper.text()).toContain("Can't reach Parley.");
    await wrapper.get("button").trigger("click");
    expect(wrapper.emitted("retry")).toEqual([["c-9"]]);
  });

  it("has no Retry and no ticks for a customer's message, and shows its quote and media", () => {
    const message = toThreadMessage(
      makeMessage({
        direction: "inbound",
        body: "See attached",
        type: "document",
        media: { id: "m1", mime: "application/pdf", size: 2048, url: "/media/m1", filename: "invoice.pdf" },
        reply_to: { id: "q1", body: "Can you send the invoice?", type: "text", sender: { type: "agent", id: "u1", name: "Bo", jid: null } },
      }),
    );
    const wrapper = bubble(message);
    expect(wrapper.find('[role="img"]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain("Retry");
    expect(wrapper.text()).toContain("Can you send the invoice?");
    expect(wrapper.text()).toContain("invoice.pdf");
    expect(wrapper.text()).toContain("2.0 KB");
    expect(wrapper.get('[data-testid="message-body"]').text()).toBe("See attached");
  });

  it("names a group member above their run in their own colour, the same when someone quotes them", () => {
    const dewi = { type: "contact", id: "c-dewi", name: "Dewi", jid: "6281234567890@s.whatsapp.net" } as const;
    const rudi = { type: "contact", id: "c-rudi", name: "Rudi", jid: "6281311112222@s.whatsapp.net" } as const;
    const colorOf = (wrapper: ReturnType<typeof bubble>, selector: string) => (wrapper.get(selector).element as HTMLElement).style.color;
    const inGroup = (message: ThreadMessage, senderName: string) =>
      mount(MessageBubble, { props: { message, firstInGroup: true, lastInGroup: true, senderName, nameOf: (sender) => sender.name ?? "", canReply: true } });

    const fromDewi = inGroup(toThreadMessage(makeMessage({ sender: dewi, body: "Stok ready?" })), "Dewi");
    const fromRudi = inGroup(
      toThreadMessage(makeMessage({ sender: rudi, body: "Saya mau 10", reply_to: { id: "q1", type: "text", body: "Stok ready?", sender: dewi } })),
      "Rudi",
    );
    expect(fromDewi.get('[data-testid="sender-name"]').text()).toBe("Dewi");
    const dewiColor = colorOf(fromDewi, '[data-testid="sender-name"]');
    const rudiColor = colorOf(fromRudi, '[data-testid="sender-name"]');
    expect(dewiColor).not.toBe("");
    expect(rudiColor).not.toBe(dewiColor);
    // Rudi quotes Dewi: her name in the quote has her colour.
    const quotedAuthor = fromRudi.findAll("span").find((span) => span.text() === "Dewi")!;
    expect((quotedAuthor.element as HTMLElement).style.color).toBe(dewiColor);
    // It is her palette colour, as the browser writes it.
    const probe = document.createElement("span");
    probe.style.color = senderColor(dewi);
    expect(dewiColor).toBe(probe.style.color);
  });
});
