import { describe, expect, it } from "vitest";
import { renderCampaignMessage, variationIndex } from "./render.ts";

const bruna = { id: "c1", name: "Bruna Alves", phone: "+5511987654321", customAttributes: { city: "Santos", orders: 3 } };
const nameless = { id: "c2", name: null, phone: "+6281234567890", customAttributes: {} };

describe("campaign message rendering", () => {
  it("fills name, first name, phone and custom attributes", () => {
    const rendered = renderCampaignMessage("k", { body: "Hi {{first_name}} ({{name}}, {{phone}}) from {{city}}: {{ orders }} orders" }, bruna);
    expect(rendered).toEqual({ ok: true, kind: "text", text: "Hi Bruna (Bruna Alves, +5511987654321) from Santos: 3 orders" });
  });

  it("uses the fallback when a field is empty, and skips the recipient when there is none", () => {
    expect(renderCampaignMessage("k", { body: "Halo {{name|Kak}}!" }, nameless)).toMatchObject({ ok: true, text: "Halo Kak!" });
    expect(renderCampaignMessage("k", { body: "Halo {{name}}!" }, nameless)).toEqual({ ok: false, missing: "name" });
    expect(renderCampaignMessage("k", { body: "Halo {{city}}" }, nameless)).toEqual({ ok: false, missing: "city" });
  });

  it("picks the same variation for the same recipient every time, and spreads recipients over them", () => {
    const message = { body: "A {{name|x}}", variations: ["B {{name|x}}", "C {{name|x}}"] };
    const first = renderCampaignMessage("campaign-1", message, bruna);
    expect(renderCampaignMessage("campaign-1", message, bruna)).toEqual(first);
    const picks = new Set(Array.from({ length: 60 }, (_, i) => variationIndex("campaign-1", `contact-${i}`, 3)));
    expect(picks).toEqual(new Set([0, 1, 2]));
  });

  it("maps template variables to contact fields or literal text, never sending an empty parameter (Meta 131008)", () => {
    const message = { template: { name: "order_ready", language: "en_US", variables: ["{{first_name}}", "#123"] } };
    const rendered = renderCampaignMessage("k", message, bruna, "Hi {{1}}, your order {{2}} is ready.");
    expect(rendered).toEqual({
      ok: true,
      kind: "template",
      template: { name: "order_ready", language: "en_US", variables: ["Bruna", "#123"] },
      text: "Hi Bruna, your order #123 is ready.",
    });
    expect(renderCampaignMessage("k", message, nameless)).toEqual({ ok: false, missing: "first_name" });
    expect(renderCampaignMessage("k", { template: { name: "t", language: "id", variables: [" "] } }, bruna)).toMatchObject({ ok: false });
  });
});
