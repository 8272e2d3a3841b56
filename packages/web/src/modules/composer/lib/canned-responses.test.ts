import { describe, expect, it } from "vitest";
import { fillCannedVariables, matchCannedResponses, replaceSlashQuery, slashQueryAt } from "./canned-responses.ts";

const options = [
  { id: "1", shortcode: "ongkir", content: "Ongkir ke Jakarta Rp10.000 ya kak {{contact.name}}" },
  { id: "2", shortcode: "hours", content: "We are open 9 to 5." },
  { id: "3", shortcode: "cek-ongkir", content: "Cek ongkir di website kami." },
];

describe("the / picker's rules", () => {
  it("opens on a word starting with / at the start or after a space, not inside a word or a URL", () => {
    expect(slashQueryAt("/ong", 4)).toEqual({ start: 0, query: "ong" });
    expect(slashQueryAt("Halo kak /ho", 12)).toEqual({ start: 9, query: "ho" });
    expect(slashQueryAt("Halo\n/", 6)).toEqual({ start: 5, query: "" });
    expect(slashQueryAt("and/or", 6)).toBeNull();
    expect(slashQueryAt("https://x.id/a", 14)).toBeNull();
    expect(slashQueryAt("/ongkir sudah", 13)).toBeNull();
  });

  it("matches shortcodes that start with the query first, then those containing it", () => {
    expect(matchCannedResponses(options, "ong").map((option) => option.shortcode)).toEqual(["ongkir", "cek-ongkir"]);
    expect(matchCannedResponses(options, "").length).toBe(3);
    expect(matchCannedResponses(options, "zzz")).toEqual([]);
  });

  it("fills the contact's name, and tidies the gap without one", () => {
    expect(fillCannedVariables(options[0]!.content, "Sari")).toBe("Ongkir ke Jakarta Rp10.000 ya kak Sari");
    expect(fillCannedVariables("Halo {{contact.name}}, ada yang bisa dibantu?", null)).toBe("Halo, ada yang bisa dibantu?");
  });

  it("replaces the typed /query with the reply and puts the caret after it", () => {
    expect(replaceSlashQuery("Halo /ong!", { start: 5, query: "ong" }, 9, "Rp10.000")).toEqual({ text: "Halo Rp10.000!", caret: 13 });
  });
});
