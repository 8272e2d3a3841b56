import { describe, expect, it } from "vitest";
import type { MessageTypes } from "whatsapp-web.js";
import { enumValue, type WhatsappWebJsMessage } from "./client.ts";
import { clientJidOf, contactOfVCard, engineMessageOf, messageTypeTable } from "./message.ts";

const me = "6281100001111@s.whatsapp.net";

/** A message as whatsapp-web.js builds it from WhatsApp Web's model (Message.js `_patch`). */
function wireMessage(overrides: Partial<WhatsappWebJsMessage> & { rawData?: object } = {}): WhatsappWebJsMessage {
  return {
    id: { fromMe: false, remote: "6281222223333@c.us", id: "3EB0AAAA", _serialized: "false_6281222223333@c.us_3EB0AAAA" },
    from: "6281222223333@c.us",
    to: "6281100001111@c.us",
    fromMe: false,
    timestamp: 1_767_000_000,
    type: enumValue<MessageTypes>("chat"),
    body: "Halo kak",
    hasMedia: false,
    hasQuotedMsg: false,
    location: undefined,
    vCards: [],
    pollName: "",
    rawData: { notifyName: "Dewi" },
    downloadMedia: async () => undefined,
    getQuotedMessage: async () => undefined,
    ...overrides,
  };
}

const typed = enumValue<MessageTypes>;

describe("whatsapp-web.js messages as engine messages", () => {
  it("reads a customer's text with JIDs in Parley's form, the notify name and the time in seconds", async () => {
    expect(await engineMessageOf(wireMessage(), me)).toMatchObject({
      id: "3EB0AAAA",
      chat: "6281222223333@s.whatsapp.net",
      sender: "6281222223333@s.whatsapp.net",
      senderName: "Dewi",
      fromMe: false,
      sentAt: new Date(1_767_000_000_000),
      type: "text",
      body: "Halo kak",
    });
  });

  it("places the business's own message in the recipient's chat, sent by the business", async () => {
    const own = wireMessage({ fromMe: true, from: "6281100001111@c.us", to: "6281222223333@c.us" });
    expect(await engineMessageOf(own, me)).toMatchObject({ chat: "6281222223333@s.whatsapp.net", sender: me, fromMe: true, senderName: null });
  });

  it("takes a group message's sender from `author`", async () => {
    const inGroup = wireMessage({ from: "120363012345678901@g.us", author: "6281333334444@c.us" });
    expect(await engineMessageOf(inGroup, me)).toMatchObject({ chat: "120363012345678901@g.us", sender: "6281333334444@s.whatsapp.net" });
  });

  it("ignores the status feed", async () => {
    expect(await engineMessageOf(wireMessage({ from: "status@broadcast", author: "6281222223333@c.us" }), me)).toBeNull();
  });

  it.each<[`${MessageTypes}`, string]>([
    ["chat", "text"],
    ["image", "image"],
    ["video", "video"],
    ["audio", "audio"],
    ["ptt", "voice"],
    ["document", "document"],
    ["sticker", "sticker"],
    ["location", "location"],
    ["vcard", "contact"],
    ["multi_vcard", "contact"],
    ["reaction", "reaction"],
    ["poll_creation", "unsupported"],
    ["order", "unsupported"],
    ["call_log", "unsupported"],
  ])("maps %s to %s", async (wireType, type) => {
    expect((await engineMessageOf(wireMessage({ type: typed(wireType) }), me))?.type).toBe(type);
  });

  it("has a row for every MessageTypes value of the library", async () => {
    const { MessageTypes } = (await import("whatsapp-web.js")).default;
    expect(Object.keys(messageTypeTable).sort()).toEqual(Object.values(MessageTypes).sort());
  });

  it("keeps a type it does not know as an unsupported placeholder instead of dropping it", async () => {
    // A type newer than the installed typings: deliberately outside the enum.
    expect(await engineMessageOf(wireMessage({ type: "future_kind" as MessageTypes, body: "" }), me)).toMatchObject({
      type: "unsupported",
      body: "Unsupported WhatsApp message: future_kind",
    });
  });

  it("describes a poll by its name", async () => {
    const poll = wireMessage({ type: typed("poll_creation"), body: "Warna favorit?", pollName: "Warna favorit?" });
    expect((await engineMessageOf(poll, me))?.body).toBe("📊 Poll: Warna favorit?");
  });

  it("shows a message deleted for everyone without its text", async () => {
    expect(await engineMessageOf(wireMessage({ type: typed("revoked"), body: "" }), me)).toMatchObject({ type: "text", body: null });
  });

  it("reads the quoted id from the raw stanza id, else from the quoted message", async () => {
    const quoting = wireMessage({ hasQuotedMsg: true, rawData: { quotedStanzaID: "3EB0QUOTED" } });
    expect((await engineMessageOf(quoting, me))?.quotedId).toBe("3EB0QUOTED");
    const fetched = wireMessage({
      hasQuotedMsg: true,
      rawData: {},
      getQuotedMessage: async () => ({ id: { fromMe: true, remote: "6281222223333@c.us", id: "3EB0OTHER", _serialized: "x" } }),
    });
    expect((await engineMessageOf(fetched, me))?.quotedId).toBe("3EB0OTHER");
  });

  it("downloads media as bytes, with the caption as body", async () => {
    const image = wireMessage({
      type: typed("image"),
      body: "yang ini",
      hasMedia: true,
      rawData: { mimetype: "image/png" },
      downloadMedia: async () => ({ mimetype: "image/png", data: Buffer.from([1, 2, 3]).toString("base64"), filename: null }),
    });
    const mapped = await engineMessageOf(image, me);
    expect(mapped).toMatchObject({ body: "yang ini", media: { mime: "image/png", filename: null } });
    expect(await mapped?.media?.download()).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("says media WhatsApp no longer has is gone", async () => {
    const old = wireMessage({ type: typed("video"), hasMedia: true, downloadMedia: async () => undefined });
    expect(await (await engineMessageOf(old, me))?.media?.download()).toBeNull();
  });

  it("reads locations as numbers and contact cards as names and numbers", async () => {
    const location = wireMessage({ type: typed("location"), body: "/9j/thumbnail", location: { latitude: "-6.2", longitude: "106.8", name: "Toko" } });
    expect(await engineMessageOf(location, me)).toMatchObject({ body: null, location: { latitude: -6.2, longitude: 106.8, name: "Toko", address: null } });
    const card = "BEGIN:VCARD\nVERSION:3.0\nFN:Budi Santoso\nitem1.TEL;waid=6281444445555:+62 814-4444-5555\nEND:VCARD";
    expect((await engineMessageOf(wireMessage({ type: typed("vcard"), body: card, vCards: [card] }), me))?.contacts).toEqual([
      { name: "Budi Santoso", phones: ["+6281444445555"] },
    ]);
  });

  it("reads a card's number as written when it has no WhatsApp id", () => {
    expect(contactOfVCard("BEGIN:VCARD\nFN:Ani\nTEL;type=CELL:+62 812 000\nEND:VCARD")).toEqual({ name: "Ani", phones: ["+62 812 000"] });
  });

  it("writes person JIDs back in the library's form and leaves groups alone", () => {
    expect(clientJidOf("6281222223333@s.whatsapp.net")).toBe("6281222223333@c.us");
    expect(clientJidOf("120363012345678901@g.us")).toBe("120363012345678901@g.us");
  });
});
