import { describe, expect, it } from "vitest";
import { senderColor, senderPalette } from "./sender-colors.ts";

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((at) => {
      const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const dewi = { id: "c-dewi", jid: "6281234567890@s.whatsapp.net" };
const rudi = { id: "c-rudi", jid: "6281311112222@s.whatsapp.net" };

describe("group sender colours", () => {
  it("are readable: every colour has 4.5:1 contrast on the incoming and the outgoing bubble", () => {
    for (const color of senderPalette) {
      expect(contrast(color, "#ffffff"), color).toBeGreaterThanOrEqual(4.5);
      expect(contrast(color, "#d9fdd3"), color).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(senderPalette).size).toBe(senderPalette.length);
  });

  it("give one person one colour, keyed by their WhatsApp JID, whatever the message", () => {
    expect(senderColor(dewi)).toBe(senderColor({ ...dewi }));
    // The same person through another contact id (another workspace, a merged contact) keeps the colour.
    expect(senderColor({ id: "another-contact", jid: dewi.jid })).toBe(senderColor(dewi));
    expect(senderPalette).toContain(senderColor(dewi));
    expect(senderColor(dewi)).not.toBe(senderColor(rudi));
  });

  it("fall back to the sender id, then the name shown, for senders without a JID", () => {
    expect(senderColor({ id: "u1", jid: null })).toBe(senderColor({ id: "u1", jid: null }, "Bo"));
    expect(senderColor({ id: null, jid: null }, "Bo")).toBe(senderColor({ id: null, jid: null }, "Bo"));
    expect(senderPalette).toContain(senderColor({ id: null, jid: null }));
  });

  it("spread a group's members over the palette", () => {
    const members = Array.from({ length: 24 }, (_, index) => ({ id: null, jid: `62812000${String(index).padStart(5, "0")}@s.whatsapp.net` }));
    expect(new Set(members.map((member) => senderColor(member))).size).toBeGreaterThanOrEqual(8);
  });
});
