import { describe, expect, it } from "vitest";
import { classifierConfidenceThreshold, combineIntent } from "./intent-classifier.ts";

describe("combining the rules' intent with the workspace classifier's", () => {
  const rules = { name: "information", confidence: 0.67 } as const;

  it("keeps the rules' answer when the classifier has none or is unsure", () => {
    expect(combineIntent(rules, null)).toEqual(rules);
    expect(combineIntent(rules, { name: "purchase", confidence: classifierConfidenceThreshold - 0.01 })).toEqual(rules);
  });

  it("takes the classifier's answer when it is sure, with its confidence rounded to hundredths", () => {
    expect(combineIntent(rules, { name: "purchase", confidence: 0.98765 })).toEqual({ name: "purchase", confidence: 0.99 });
  });
});
