import { describe, expect, it } from "vitest";
import { effectiveEnrichment } from "./correction.ts";
import { enrichText } from "./enrich.ts";

describe("enrichment rules", () => {
  it("flips Indonesian sentiment after a negator, slang negators included", () => {
    expect(enrichText("barangnya bagus banget kak").sentiment.label).toBe("positive");
    expect(enrichText("barangnya tidak bagus kak").sentiment.label).toBe("negative");
    expect(enrichText("gak nyesel belanja disini").sentiment.label).toBe("positive");
    expect(enrichText("nggak mengecewakan sama sekali").sentiment.label).toBe("positive");
    expect(enrichText("pesanan saya belum sampai juga").sentiment.label).toBe("negative");
  });

  it("keeps a score within −1..1 and calls a plain question neutral", () => {
    const furious = enrichText("worst service ever, terrible, awful, disgusting, I am so angry");
    expect(furious.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(furious.sentiment.label).toBe("negative");
    expect(enrichText("What time do you open tomorrow?").sentiment).toEqual({ label: "neutral", score: 0 });
  });

  it("gives a message under 3 words the contact's last language, else the workspace's first", () => {
    expect(enrichText("ok thanks", { lastLanguage: "eng" }).language).toBe("eng");
    expect(enrichText("ok thanks", { lastLanguage: null }).language).toBe("ind");
    expect(enrichText("ok", { languages: ["eng", "ind"] }).language).toBe("eng");
    // A last language outside the workspace's is not used.
    expect(enrichText("ok", { languages: ["ind", "eng"], lastLanguage: "fra" }).language).toBe("ind");
  });

  it("raises urgency with urgent wording and with the customer's waiting time", () => {
    expect(enrichText("Do you have it in green?").urgency).toBe("low");
    expect(enrichText("Do you have it in green?", { waitingSeconds: 45 * 60 }).urgency).toBe("normal");
    expect(enrichText("Do you have it in green?", { waitingSeconds: 2 * 3600 }).urgency).toBe("high");
    expect(enrichText("tolong segera dikirim ya kak").urgency).toBe("high");
  });

  it("keeps telling keywords and drops stop words and chat slang", () => {
    expect(enrichText("kak brp harga kaos yg hitam gan?").keywords).toEqual(["harga", "kaos", "hitam"]);
    expect(enrichText("What is the price of the blue hoodie?").keywords).toEqual(["price", "blue", "hoodie"]);
  });

  it("treats negated praise as a complaint and negated complaint words as praise", () => {
    expect(enrichText("kualitasnya tidak bagus, jahitannya lepas").intent.name).toBe("complaint");
    expect(enrichText("Nggak mengecewakan, mantap").intent.name).toBe("compliment");
    expect(enrichText("halo kak").intent).toEqual({ name: "general", confidence: 0.8 });
  });

  it("shows an agent's correction over the computed values", () => {
    const computed = enrichText("How much is the blue hoodie?");
    expect(effectiveEnrichment(computed, { intent: "information" })?.intent).toEqual({ name: "information", confidence: 1 });
    expect(effectiveEnrichment(computed, { sentiment: "negative" })?.sentiment).toEqual({ label: "negative", score: -0.5 });
    expect(effectiveEnrichment(computed, { sentiment: computed.sentiment.label })?.sentiment).toEqual(computed.sentiment);
    expect(effectiveEnrichment(null, { intent: "support" })).toBeNull();
  });
});
