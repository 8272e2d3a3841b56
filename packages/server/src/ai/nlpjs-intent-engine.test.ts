import { describe, expect, it } from "vitest";
import type { TrainingExample } from "../domain/intelligence/classifier.port.ts";
import { nlpjsIntentEngine } from "./nlpjs-intent-engine.ts";

// A motorbike workshop: its customers book service slots in words the keyword rules read as
// questions ("information"); its agents taught it that they are sales.
const examples: TrainingExample[] = [
  ...["slot servis sabtu pagi masih kosong?", "antrian servis besok jam 9 bisa?", "mau masukin motor buat tune up kamis", "booking slot servis jumat"].map(
    (text) => ({ text, language: "ind", intent: "purchase" as const }),
  ),
  ...["can I get a service slot on friday?", "book me in for a tune up on monday"].map((text) => ({ text, language: "eng", intent: "purchase" as const })),
  ...["rem masih bunyi habis servis kemarin", "motor mogok lagi padahal baru diservis", "oli rembes setelah ganti oli di sini"].map((text) => ({
    text,
    language: "ind",
    intent: "complaint" as const,
  })),
  { text: "the brakes still squeal after your service", language: "eng", intent: "complaint" },
  { text: "hello hello", language: "fra", intent: "general" },
];

describe("the nlp.js intent engine", () => {
  it("learns a workspace's vocabulary, survives serialisation and classifies new phrasings in Indonesian and English", async () => {
    const serialized = await nlpjsIntentEngine.train(examples);
    const model = nlpjsIntentEngine.load(serialized);
    const booking = await model.classify("slot tune up minggu depan masih ada?", "ind");
    expect(booking).toMatchObject({ name: "purchase" });
    expect(booking!.confidence).toBeGreaterThanOrEqual(0.7);
    expect(await model.classify("motor saya mogok lagi habis servis", "ind")).toMatchObject({ name: "complaint" });
    expect(await model.classify("is there a service slot on saturday?", "eng")).toMatchObject({ name: "purchase" });
  });

  it("has no opinion on another language, empty text or words it never saw", async () => {
    const model = nlpjsIntentEngine.load(await nlpjsIntentEngine.train(examples));
    expect(await model.classify("un créneau samedi ?", "fra")).toBeNull();
    expect(await model.classify("   ", "ind")).toBeNull();
    expect(await model.classify("zzz qqq", "ind")).toBeNull();
  });

  it("refuses a model that is not one", () => {
    expect(() => nlpjsIntentEngine.load("not a model")).toThrow();
  });
});
