import { describe, expect, it } from "vitest";
import { mediaBody, reactionBody, readBody, templateBody, textBody, typingBody } from "./message-bodies.ts";

const to = { to: "5511987654321" };
const envelope = { messaging_product: "whatsapp", recipient_type: "individual", to: "5511987654321" };

describe("send bodies (Meta's Messages reference)", () => {
  it("builds a text message without link preview by default, with context when replying", () => {
    expect(textBody(to, "hi")).toEqual({ ...envelope, type: "text", text: { body: "hi", preview_url: false } });
    expect(textBody({ ...to, replyTo: "wamid.Q" }, "hi", true)).toEqual({
      ...envelope,
      context: { message_id: "wamid.Q" },
      type: "text",
      text: { body: "hi", preview_url: true },
    });
  });

  it("puts the caption only where Meta shows one and the filename only on documents", () => {
    expect(mediaBody(to, "image", { id: "m1" }, { caption: "look", filename: "a.jpg" })).toEqual({
      ...envelope,
      type: "image",
      image: { id: "m1", caption: "look" },
    });
    expect(mediaBody(to, "document", { link: "https://x.test/a.pdf" }, { caption: "c", filename: "a.pdf" })).toEqual({
      ...envelope,
      type: "document",
      document: { link: "https://x.test/a.pdf", caption: "c", filename: "a.pdf" },
    });
    expect(mediaBody(to, "sticker", { id: "s" }, { filename: "s.webp" })).toEqual({ ...envelope, type: "sticker", sticker: { id: "s" } });
    expect(mediaBody(to, "audio", { id: "a" }, { voice: true })).toEqual({ ...envelope, type: "audio", audio: { id: "a", voice: true } });
  });

  it("refuses a caption on audio and stickers", () => {
    expect(() => mediaBody(to, "audio", { id: "a" }, { caption: "x" })).toThrow(/caption with an audio message/);
    expect(() => mediaBody(to, "sticker", { id: "s" }, { caption: "x" })).toThrow(/caption with a sticker/);
  });

  it("builds a template with body parameters in order, and without components when there are no variables", () => {
    expect(templateBody(to, { name: "order_ready", language: "en_US", variables: ["Ana", "#42"] })).toEqual({
      ...envelope,
      type: "template",
      template: {
        name: "order_ready",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Ana" },
              { type: "text", text: "#42" },
            ],
          },
        ],
      },
    });
    expect(templateBody(to, { name: "hello_world", language: "en_US", variables: [] })).toEqual({
      ...envelope,
      type: "template",
      template: { name: "hello_world", language: { code: "en_US" } },
    });
  });

  it("builds a reaction without context, a read receipt and a typing indicator", () => {
    expect(reactionBody({ ...to, replyTo: "wamid.Q" }, "wamid.T", "👍")).toEqual({
      ...envelope,
      type: "reaction",
      reaction: { message_id: "wamid.T", emoji: "👍" },
    });
    expect(readBody("wamid.R")).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.R" });
    expect(typingBody("wamid.R")).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.R", typing_indicator: { type: "text" } });
  });
});
