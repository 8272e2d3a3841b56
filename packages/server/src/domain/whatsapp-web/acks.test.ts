import { describe, expect, it } from "vitest";
import { statusOfBaileysStatus, statusOfWhatsappWebJsAck } from "./acks.ts";
import { isGroupJid, jidOfPhone, normalizePersonJid, personJidOf, phoneOfJid, statusBroadcastJid } from "./jid.ts";

describe("acks of the two libraries", () => {
  it("maps whatsapp-web.js MessageAck -1..4 to failed, pending, sent, delivered, read, played", () => {
    expect([-1, 0, 1, 2, 3, 4, 7].map(statusOfWhatsappWebJsAck)).toEqual(["failed", null, "sent", "delivered", "read", "played", null]);
  });

  it("maps Baileys' WebMessageInfo.Status 0..5 to failed, pending, sent, delivered, read, played", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(statusOfBaileysStatus)).toEqual(["failed", null, "sent", "delivered", "read", "played", null]);
  });
});

describe("JIDs", () => {
  it("writes a person in Baileys' form and reads both libraries' forms, device suffix included", () => {
    expect(personJidOf("+6281234567890")).toBe("6281234567890@s.whatsapp.net");
    expect(normalizePersonJid("6281234567890@c.us")).toBe("6281234567890@s.whatsapp.net");
    expect(normalizePersonJid("6281234567890:17@s.whatsapp.net")).toBe("6281234567890@s.whatsapp.net");
    expect(phoneOfJid("6281234567890@c.us")).toBe("+6281234567890");
    expect(() => personJidOf("081234567890")).toThrow(RangeError);
  });

  it("tells groups and the status feed from people", () => {
    expect(isGroupJid("120363043211234567@g.us")).toBe(true);
    expect(isGroupJid("6281234567890@s.whatsapp.net")).toBe(false);
    expect(normalizePersonJid("120363043211234567@g.us")).toBeNull();
    expect(normalizePersonJid(statusBroadcastJid)).toBeNull();
    expect(phoneOfJid("not a jid")).toBeNull();
  });

  it("gives a contact's JID from its stored phone, and none without an E.164 phone", () => {
    expect(jidOfPhone("+6281234567890")).toBe("6281234567890@s.whatsapp.net");
    expect(jidOfPhone(null)).toBeNull();
    expect(jidOfPhone("081234567890")).toBeNull();
  });
});
