import { describe, expect, it } from "vitest";
import { type CloudInboxForm, cloudInboxPayload, emptyCloudInboxForm, formFieldOf, randomVerifyToken, validateCloudInbox } from "./cloud-inbox-form.ts";

const valid: CloudInboxForm = {
  name: " Sales WhatsApp ",
  phoneNumberId: " 106540352242922 ",
  wabaId: "102290129340398",
  accessToken: "EAAGm0PX4ZCpsBA",
  appSecret: "0123456789abcdef0123456789abcdef",
  verifyToken: "my-verify-token",
  graphBaseUrl: "",
};

describe("cloud inbox form", () => {
  it("asks for every required field of an empty form, and not for the optional base URL", () => {
    const errors = validateCloudInbox(emptyCloudInboxForm());
    expect(Object.keys(errors).sort()).toEqual(["accessToken", "appSecret", "name", "phoneNumberId", "verifyToken", "wabaId"]);
    expect(errors.phoneNumberId).toBe("Enter the phone number ID.");
  });

  it("accepts a complete form", () => {
    expect(validateCloudInbox(valid)).toEqual({});
    expect(validateCloudInbox({ ...valid, graphBaseUrl: "http://127.0.0.1:4010/v25.0" })).toEqual({});
  });

  it("refuses ids that are not digits only", () => {
    const errors = validateCloudInbox({ ...valid, phoneNumberId: "+351 912 345 678", wabaId: "waba-1" });
    expect(errors.phoneNumberId).toMatch(/digits only/);
    expect(errors.wabaId).toMatch(/digits only/);
    expect(Object.keys(errors)).toHaveLength(2);
  });

  it("refuses secrets with spaces inside and a base URL that is not an http(s) URL", () => {
    const errors = validateCloudInbox({ ...valid, accessToken: "EAAG m0PX", graphBaseUrl: "graph.facebook.com/v25.0" });
    expect(errors.accessToken).toMatch(/no spaces/);
    expect(errors.graphBaseUrl).toMatch(/full URL/);
    expect(validateCloudInbox({ ...valid, graphBaseUrl: "ftp://graph.example" }).graphBaseUrl).toBeDefined();
  });

  it("builds the request body with trimmed values and without an empty base URL", () => {
    expect(cloudInboxPayload(valid)).toEqual({
      name: "Sales WhatsApp",
      provider: "whatsapp_cloud",
      config: {
        phone_number_id: "106540352242922",
        waba_id: "102290129340398",
        access_token: "EAAGm0PX4ZCpsBA",
        app_secret: "0123456789abcdef0123456789abcdef",
        verify_token: "my-verify-token",
      },
    });
    expect(cloudInboxPayload({ ...valid, graphBaseUrl: "https://graph.facebook.com/v24.0/" }).config.graph_base_url).toBe("https://graph.facebook.com/v24.0");
  });

  it("maps the server's field names onto the form's", () => {
    expect(formFieldOf("config.phone_number_id")).toBe("phoneNumberId");
    expect(formFieldOf("/config/waba_id")).toBe("wabaId");
    expect(formFieldOf("name")).toBe("name");
    expect(formFieldOf("provider")).toBeNull();
    expect(formFieldOf(undefined)).toBeNull();
  });

  it("generates a verify token the form accepts", () => {
    const token = randomVerifyToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(token).not.toBe(randomVerifyToken());
    expect(validateCloudInbox({ ...valid, verifyToken: token }).verifyToken).toBeUndefined();
  });
});
