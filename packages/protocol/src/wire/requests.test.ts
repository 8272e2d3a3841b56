import { describe, expect, it } from "vitest";
import { createInboxRequestSchema, inboxSchema, type ApiInbox } from "./inbox.ts";
import { sendMessageRequestSchema } from "./send.ts";

const mediaId = "0190a4b2-7c1e-7a3b-9f00-000000000004";
const template = { name: "order_update", language: "en_US", variables: ["Ana"] };

/** The dotted paths of the issues a refused value raised. */
function refusedPaths(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }): string[] {
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => issue.path.join("."));
}

describe("send message request", () => {
  it("takes a text, an attachment with or without caption, or a template", () => {
    expect(sendMessageRequestSchema.parse({ body: "Hi", client_message_id: " c-1 " })).toEqual({ body: "Hi", client_message_id: "c-1" });
    expect(sendMessageRequestSchema.safeParse({ media_id: mediaId }).success).toBe(true);
    expect(sendMessageRequestSchema.safeParse({ media_id: mediaId, body: "The receipt" }).success).toBe(true);
    expect(sendMessageRequestSchema.safeParse({ template }).success).toBe(true);
  });

  it("refuses a send with no content, or a template with other content", () => {
    expect(refusedPaths(sendMessageRequestSchema.safeParse({}))).toEqual(["body"]);
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ template, body: "Hi" }))).toEqual(["template"]);
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ template, media_id: mediaId }))).toEqual(["template"]);
  });

  it("refuses malformed ids and templates", () => {
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ media_id: "photo.png" }))).toEqual(["media_id"]);
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ body: "Hi", reply_to_id: "42" }))).toEqual(["reply_to_id"]);
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ template: { name: " ", language: "en", variables: [] } }))).toEqual(["template.name"]);
    expect(refusedPaths(sendMessageRequestSchema.safeParse({ template: { name: "x", language: "en" } }))).toEqual(["template.variables"]);
  });
});

describe("create inbox request", () => {
  const config = { phone_number_id: "106540352242922", access_token: "EAAG…", app_secret: "s3cret", verify_token: "v-token" };

  it("takes a widget inbox with optional appearance, and a Cloud API inbox with its settings", () => {
    expect(createInboxRequestSchema.safeParse({ name: "Website", provider: "web_widget" }).success).toBe(true);
    expect(createInboxRequestSchema.safeParse({ name: "Website", provider: "web_widget", widget: { color: "#2563eb", position: "left" } }).success).toBe(true);
    const cloud = createInboxRequestSchema.parse({
      name: "Sales",
      provider: "whatsapp_cloud",
      config: { ...config, waba_id: "102290129340398", graph_base_url: "http://127.0.0.1:4010/v25.0" },
    });
    expect(cloud.provider === "whatsapp_cloud" && cloud.config.graph_base_url).toBe("http://127.0.0.1:4010/v25.0");
  });

  it("names the missing or wrong Cloud API setting", () => {
    const { app_secret: _secret, ...withoutSecret } = config;
    expect(refusedPaths(createInboxRequestSchema.safeParse({ name: "Sales", provider: "whatsapp_cloud", config: withoutSecret }))).toEqual([
      "config.app_secret",
    ]);
    expect(
      refusedPaths(createInboxRequestSchema.safeParse({ name: "Sales", provider: "whatsapp_cloud", config: { ...config, graph_base_url: "ftp://graph" } })),
    ).toEqual(["config.graph_base_url"]);
    expect(refusedPaths(createInboxRequestSchema.safeParse({ name: "Sales", provider: "whatsapp_cloud" }))).toEqual(["config"]);
  });

  it("refuses an unknown provider and a blank name", () => {
    expect(refusedPaths(createInboxRequestSchema.safeParse({ name: "Sales", provider: "telegram" }))).toEqual(["provider"]);
    expect(refusedPaths(createInboxRequestSchema.safeParse({ name: "  ", provider: "web_widget" }))).toEqual(["name"]);
  });
});

describe("inbox wire shape", () => {
  const inbox: ApiInbox = {
    id: "0190a4b2-7c1e-7a3b-9f00-000000000005",
    workspace_id: "0190a4b2-7c1e-7a3b-9f00-000000000006",
    provider: "whatsapp_cloud",
    name: "Sales",
    status: "ready",
    status_reason: null,
    phone_number: "+5511987654321",
    engine: null,
    qr: null,
    sync: null,
    is_primary: false,
    widget_key: null,
    widget: null,
    webhook_url: "https://parley.example.com/webhooks/whatsapp-cloud/0190a4b2-7c1e-7a3b-9f00-000000000005",
    config: {
      phone_number_id: "106540352242922",
      waba_id: null,
      graph_base_url: "https://graph.facebook.com/v25.0",
      has_access_token: true,
      has_app_secret: true,
      has_verify_token: true,
      messaging_limit: 250,
    },
    unread_count: 0,
    created_at: "2024-03-07T09:00:00.000Z",
  };

  it("drops a secret that reached the presenter by mistake, and refuses an unknown status", () => {
    const parsed = inboxSchema.parse({ ...inbox, config: { ...inbox.config, access_token: "EAAG…" } });
    expect(parsed.config).toEqual(inbox.config);
    expect(inboxSchema.safeParse({ ...inbox, status: "online" }).success).toBe(false);
  });
});
