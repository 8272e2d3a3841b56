import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { Message, ThreadMessage } from "../../../lib/types.ts";
import { makeMessage } from "../../../testing/factories.ts";
import { toThreadMessage } from "../lib/message-list.ts";
import type { ReactionSummary } from "../lib/thread-rows.ts";
import MessageBubble from "./MessageBubble.vue";

const nameOf = (sender: Message["sender"]) => sender.name ?? "Ana";

function bubble(
  fields: Partial<Message>,
  extra: { reactions?: ReactionSummary[]; upload?: { progress: number; state: string }; local?: ThreadMessage["local"] } = {},
) {
  const message: ThreadMessage = { ...toThreadMessage(makeMessage({ body: null, ...fields })), ...(extra.local ? { local: extra.local } : {}) };
  return mount(MessageBubble, {
    props: {
      message,
      firstInGroup: true,
      lastInGroup: true,
      senderName: "",
      nameOf,
      canReply: true,
      ...(extra.reactions ? { reactions: extra.reactions } : {}),
      ...(extra.upload ? { upload: extra.upload } : {}),
    },
    attachTo: document.body,
  });
}

const media = (mime: string, filename: string | null = null) => ({ id: "m1", mime, size: 1_572_864, url: `/media/m1`, filename });

describe("message bubble for each type", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("image: a thumbnail that opens full size, and closes with Esc", async () => {
    const wrapper = bubble({ type: "image", media: media("image/jpeg", "sofa.jpg"), body: "Blue velvet" });
    const thumbnail = wrapper.get('button[aria-label="Open sofa.jpg full size"] img');
    expect(thumbnail.attributes("src")).toBe("/media/m1");
    expect(wrapper.get('[data-testid="message-body"]').text()).toBe("Blue velvet");
    await wrapper.get('button[aria-label="Open sofa.jpg full size"]').trigger("click");
    const viewer = document.querySelector('[data-testid="image-viewer"]');
    expect(viewer?.querySelector("img")?.getAttribute("src")).toBe("/media/m1");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    await wrapper.vm.$nextTick();
    expect(document.querySelector('[data-testid="image-viewer"]')).toBeNull();
  });

  it("video: a player with controls", () => {
    const video = bubble({ type: "video", media: media("video/mp4", "tour.mp4") }).get("video");
    expect(video.attributes("src")).toBe("/media/m1");
    expect(video.attributes("controls")).toBeDefined();
  });

  it("audio and voice: a player each, the voice note with a mic", () => {
    const voice = bubble({ type: "voice", media: media("audio/ogg") });
    expect(voice.get("audio").attributes("aria-label")).toBe("Voice message");
    expect(voice.get("[data-media-kind]").attributes("data-media-kind")).toBe("voice");
    const audio = bubble({ type: "audio", media: media("audio/mpeg", "jingle.mp3") });
    expect(audio.get("audio").attributes("aria-label")).toBe("jingle.mp3");
    expect(audio.get("[data-media-kind]").attributes("data-media-kind")).toBe("audio");
  });

  it("document: a card with the file name, size and a download link", () => {
    const card = bubble({ type: "document", media: media("application/pdf", "invoice-4411.pdf") }).get('[data-testid="document-card"]');
    expect(card.element.tagName).toBe("A");
    expect(card.attributes("href")).toBe("/media/m1");
    expect(card.attributes("download")).toBe("invoice-4411.pdf");
    expect(card.text()).toContain("invoice-4411.pdf");
    expect(card.text()).toContain("1.5 MB · PDF");
  });

  it("sticker: a small image without a bubble around it", () => {
    const wrapper = bubble({ type: "sticker", media: media("image/webp") });
    expect(wrapper.get('img[alt="Sticker"]').classes()).toContain("h-32");
    expect(wrapper.get('[role="group"]').classes()).not.toContain("bg-bubble-in");
  });

  it("location: name, address and an OpenStreetMap link, without loading map tiles", () => {
    const wrapper = bubble({
      type: "location",
      location: { latitude: 38.7223, longitude: -9.1393, name: "Lisbon showroom", address: "Rua Augusta 1, Lisboa" },
    });
    const card = wrapper.get('[data-testid="location-card"]');
    expect(card.attributes("href")).toBe("https://www.openstreetmap.org/?mlat=38.7223&mlon=-9.1393");
    expect(card.text()).toContain("Lisbon showroom");
    expect(card.text()).toContain("Rua Augusta 1, Lisboa");
    expect(wrapper.findAll("img")).toHaveLength(0);
  });

  it("contact: each card's name and phone numbers", () => {
    const wrapper = bubble({
      type: "contact",
      contacts: [
        { name: "Rui Lopes", phones: ["+351 910 000 003", "+351 210 000 000"] },
        { name: "Marta", phones: [] },
      ],
    });
    const cards = wrapper.findAll('[data-testid="contact-cards"] > li');
    expect(cards).toHaveLength(2);
    expect(cards[0]!.text()).toContain("Rui Lopes");
    expect(cards[0]!.findAll("a").map((link) => link.attributes("href"))).toEqual(["tel:+351910000003", "tel:+351210000000"]);
    expect(cards[1]!.text()).toContain("No phone number");
  });

  it("reaction: a compact row quoting the message it reacts to", () => {
    const wrapper = bubble({
      type: "reaction",
      body: "👍",
      reply_to_id: "q1",
      reply_to: { id: "q1", type: "text", body: "Delivery on Friday?", sender: { type: "agent", id: "u1", name: "Bo", jid: null } },
    });
    expect(wrapper.get('[data-testid="reaction-row"]').text()).toMatch(/Reacted\s*👍\s*to: “Delivery on Friday\?”/);
    expect(wrapper.find('button[aria-label^="Reply"]').exists()).toBe(false);
  });

  it("reactions hang under the message they react to, with who sent them", () => {
    const wrapper = bubble(
      { body: "Delivery on Friday?" },
      {
        reactions: [
          {
            emoji: "👍",
            count: 2,
            senders: [
              { type: "contact", id: "c1", name: "Ana", jid: null },
              { type: "contact", id: "c2", name: "Rui", jid: null },
            ],
          },
        ],
      },
    );
    const pill = wrapper.get('[data-testid="reactions"] li');
    expect(pill.text()).toBe("👍2");
    expect(pill.attributes("aria-label")).toBe("👍 from Ana, Rui");
  });

  it("template: the template's name as a badge above its body", () => {
    const wrapper = bubble({
      type: "template",
      direction: "outbound",
      body: "Hi Ana, your order 4411 ships today.",
      template: { name: "order_update", language: "en_US", variables: ["Ana", "4411"] },
    });
    expect(wrapper.get('[data-testid="template-badge"]').text()).toBe("Template · order_update(en_US)");
    expect(wrapper.get('[data-testid="message-body"]').text()).toBe("Hi Ana, your order 4411 ships today.");
  });

  it("unsupported: a grey italic placeholder with the server's description", () => {
    const body = bubble({ type: "unsupported", body: "Poll (not supported by the Cloud API)" }).get('[data-testid="message-body"]');
    expect(body.text()).toBe("Poll (not supported by the Cloud API)");
    expect(body.classes()).toEqual(expect.arrayContaining(["italic", "text-muted"]));
    expect(bubble({ type: "unsupported", body: null }).get('[data-testid="message-body"]').text()).toBe("This message type isn't supported yet.");
  });

  it("media not downloaded yet: says what it is", () => {
    expect(bubble({ type: "image", media: null }).get('[data-testid="message-body"]').text()).toBe("Photo");
  });

  it("an attachment being uploaded: the local preview with the upload's progress", () => {
    const wrapper = bubble(
      { type: "image", direction: "outbound", status: "pending", media: { id: "", mime: "image/png", size: 10, url: "blob:x", filename: "a.png" } },
      { local: "sending", upload: { progress: 0.4, state: "uploading" } },
    );
    expect(wrapper.get('[data-testid="bubble-upload"]').text()).toBe("40%");
    expect(wrapper.get("img").attributes("src")).toBe("blob:x");
  });

  it("a failed send: the reason under the bubble, and Retry", async () => {
    const wrapper = bubble({
      direction: "outbound",
      status: "failed",
      body: "Order #4411",
      failed_reason: "Message undeliverable (131026)",
      client_message_id: "c-1",
    });
    expect(wrapper.get('[data-testid="failed-reason"]').text()).toBe("Not sent: Message undeliverable (131026)");
    await wrapper.get("button").trigger("click");
    expect(wrapper.emitted("retry")).toEqual([["c-1"]]);
  });
});
