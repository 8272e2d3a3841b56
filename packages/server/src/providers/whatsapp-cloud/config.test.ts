import { describe, expect, it } from "vitest";
import { DEFAULT_GRAPH_BASE_URL, validateWhatsAppCloudConfig } from "./config.ts";

const valid = { phone_number_id: "106540352242922", access_token: "EAAG...", app_secret: "shh", verify_token: "verify-me" };

describe("validateWhatsAppCloudConfig", () => {
  it("fills graph_base_url with Meta's versioned URL and leaves waba_id out when not given", () => {
    expect(validateWhatsAppCloudConfig(valid)).toEqual({ ok: true, config: { ...valid, graph_base_url: DEFAULT_GRAPH_BASE_URL } });
    expect(DEFAULT_GRAPH_BASE_URL).toBe("https://graph.facebook.com/v25.0");
  });

  it("keeps a custom http(s) Graph URL without its trailing slash, and trims ids", () => {
    const result = validateWhatsAppCloudConfig({ ...valid, phone_number_id: " 123 ", waba_id: "456", graph_base_url: "http://127.0.0.1:8080/v26.0/" });
    expect(result).toMatchObject({ ok: true, config: { phone_number_id: "123", waba_id: "456", graph_base_url: "http://127.0.0.1:8080/v26.0" } });
  });

  it("reads empty optional fields from a form as not given", () => {
    expect(validateWhatsAppCloudConfig({ ...valid, waba_id: "", graph_base_url: "" })).toMatchObject({
      ok: true,
      config: { graph_base_url: DEFAULT_GRAPH_BASE_URL },
    });
  });

  it.each([
    ["a phone_number_id with letters", { phone_number_id: "12ab" }, "phone_number_id", /digits only/],
    ["a phone number instead of its id", { phone_number_id: "+1 555 0100" }, "phone_number_id", /digits only/],
    ["a waba_id with letters", { waba_id: "waba-1" }, "waba_id", /digits only/],
    ["an empty access_token", { access_token: "  " }, "access_token", /required/],
    ["a missing app_secret", { app_secret: undefined }, "app_secret", /required/],
    ["a missing verify_token", { verify_token: undefined }, "verify_token", /required/],
    ["a graph_base_url that is not http(s)", { graph_base_url: "ftp://graph.example" }, "graph_base_url", /http\(s\) URL/],
    ["a graph_base_url that is not a URL", { graph_base_url: "graph.facebook.com" }, "graph_base_url", /http\(s\) URL/],
  ])("refuses %s, naming the field", (_, change, field, message) => {
    const result = validateWhatsAppCloudConfig({ ...valid, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it("refuses something that is not an object", () => {
    expect(validateWhatsAppCloudConfig("token")).toMatchObject({ ok: false, problems: [{ field: "config" }] });
  });
});
