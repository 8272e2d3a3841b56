import { describe, expect, it } from "vitest";
import { fillTemplate, templateParts, variableCount } from "./template-text.ts";

describe("template text", () => {
  const body = "Hi {{1}}, your order {{2}} ships {{ 3 }}. Thanks, {{1}}!";

  it("counts the variables from the body when it names more than declared", () => {
    expect(variableCount({ body, variable_count: 0 })).toBe(3);
    expect(variableCount({ body: "No variables", variable_count: 0 })).toBe(0);
    expect(variableCount({ body: "Hi {{1}}", variable_count: 2 })).toBe(2);
  });

  it("fills each {{n}} with the n-th value, the same value wherever it repeats", () => {
    expect(fillTemplate(body, ["Ana", "#4411", "today"])).toBe("Hi Ana, your order #4411 ships today. Thanks, Ana!");
  });

  it("keeps the placeholder of a variable not filled yet", () => {
    expect(fillTemplate(body, ["Ana", "  "])).toBe("Hi Ana, your order {{2}} ships {{3}}. Thanks, Ana!");
  });

  it("splits the body into text and variables for the preview", () => {
    expect(templateParts("Hi {{1}}!", ["Ana"])).toEqual([{ text: "Hi " }, { text: "Ana", variable: 1 }, { text: "!" }]);
  });
});
