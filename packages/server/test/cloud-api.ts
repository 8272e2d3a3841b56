/**
 * A Parley with a WhatsApp Cloud API inbox pointed at a fake of Meta's Graph API on 127.0.0.1,
 * for the Cloud API test files: `useCloudApi()` in a test file starts both and gives helpers to
 * act as Meta (signed webhook deliveries) and as an agent.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { startFakeGraphApi, type FakeGraphApi } from "../src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { signDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { eventually } from "./eventually.ts";
import type { Engine } from "./databases.ts";
import { type TestParley, useTestParley, workspacePath } from "./parley.ts";

export const appSecret = "meta-app-secret-for-tests";
export const verifyToken = "verify-me-please";
/** The customer most tests write as: a Brazilian mobile, as Meta's `wa_id`. */
export const customer = { waId: "5511987654321", name: "Bruna Alves" };

export type Json = Record<string, any>;

/** Starts Parley (on `engine`) and the fake Graph API for the calling test file. */
export function useCloudApi(
  overrides: Record<string, string> = {},
  engine: Engine = "pglite",
): {
  parley: () => TestParley;
  fake: () => FakeGraphApi;
  cloudWorkspace: (label: string, options?: { messagingLimit?: number | string }) => Promise<CloudWorkspace>;
} {
  const parley = useTestParley(engine, overrides);
  let fake: FakeGraphApi | undefined;
  beforeAll(async () => {
    fake = await startFakeGraphApi({
      templates: [
        {
          name: "order_ready",
          language: "en_US",
          status: "APPROVED",
          category: "UTILITY",
          components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} is ready." }],
        },
        { name: "draft_promo", language: "en_US", status: "REJECTED", category: "MARKETING", components: [{ type: "BODY", text: "Sale!" }] },
      ],
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  /**
   * A workspace with a Cloud API inbox pointed at the fake (with `messagingLimit` when given,
   * else Meta's starting 250), and helpers to act as Meta and as an agent.
   */
  async function cloudWorkspace(label: string, options: { messagingLimit?: number | string } = {}): Promise<CloudWorkspace> {
    const api = parley().api;
    const { token, workspaceId } = await api.signup(label);
    const created = await api.post(
      `${workspacePath(workspaceId)}/inboxes`,
      {
        name: "WhatsApp",
        provider: "whatsapp_cloud",
        config: {
          phone_number_id: fake!.phoneNumberId,
          waba_id: fake!.wabaId,
          access_token: fake!.accessToken,
          app_secret: appSecret,
          verify_token: verifyToken,
          graph_base_url: fake!.url,
          ...(options.messagingLimit === undefined ? {} : { messaging_limit: options.messagingLimit }),
        },
      },
      token,
    );
    expect(created.status).toBe(201);
    const inbox = created.body as Json;
    const webhookPath = new URL(inbox["webhook_url"]).pathname;
    const ws = workspacePath(workspaceId);
    const conversations = async () => (await api.get(`${ws}/conversations`, token)).body.data as Json[];
    return {
      token,
      workspaceId,
      inbox,
      webhookPath,
      /** Posts a delivery signed with `secret` (Meta's app secret by default); returns the status. */
      async deliver(payload: Json, secret: string | null = appSecret): Promise<number> {
        const body = JSON.stringify(payload);
        const headers: Record<string, string> = secret === null ? {} : { "x-hub-signature-256": signDelivery(secret, body) };
        return (await api.request("POST", webhookPath, { rawBody: body, headers })).status;
      },
      conversations,
      messages: async (conversationId: string) => (await api.get(`${ws}/conversations/${conversationId}/messages`, token)).body.data as Json[],
      send: (conversationId: string, body: Json) => api.post(`${ws}/conversations/${conversationId}/messages`, body, token),
      /** Waits for the only conversation and returns it. */
      async conversation(): Promise<Json> {
        return eventually(async () => (await conversations())[0], { what: "the conversation" });
      },
    };
  }

  return { parley, fake: () => fake!, cloudWorkspace };
}

export type CloudWorkspace = {
  token: string;
  workspaceId: string;
  inbox: Json;
  webhookPath: string;
  deliver(payload: Json, secret?: string | null): Promise<number>;
  conversations(): Promise<Json[]>;
  messages(conversationId: string): Promise<Json[]>;
  send(conversationId: string, body: Json): Promise<{ status: number; body: Json }>;
  conversation(): Promise<Json>;
};
