/**
 * What the Cloud API benchmarks stand on: an in-process Parley (PGlite in memory, or the
 * PostgreSQL database `databaseUrl`), the fake Graph API on 127.0.0.1 on a thread of its own
 * (fake-graph-api-thread.ts), and a workspace with a WhatsApp Cloud API inbox pointed at the
 * fake, with helpers to post as Meta and as an agent.
 */
import pino from "pino";
import { loadConfig } from "../packages/server/src/config.ts";
import { startParley, type RunningParley } from "../packages/server/src/main.ts";
import { signDelivery } from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { type FakeGraphThread, startFakeGraphThread } from "./fake-graph-api-thread.ts";

export interface CloudBench {
  engine: "pglite" | "postgres";
  parley: RunningParley;
  fake: FakeGraphThread;
  token: string;
  workspaceId: string;
  /** `/webhooks/whatsapp-cloud/{inbox_id}` */
  webhookPath: string;
  /** Meta's `X-Hub-Signature-256` for `body` with the inbox's app secret. */
  sign(body: string): string;
  /** POSTs a signed delivery (`body` as built, `signature` from `sign`); resolves with the HTTP status. */
  deliver(body: string, signature: string): Promise<number>;
  /** POSTs JSON as the workspace owner; resolves with the status and parsed body. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  get(path: string): Promise<{ status: number; body: any }>;
  /** Stops Parley, then the fake. */
  close(): Promise<void>;
}

const appSecret = "bench-app-secret";

/** Starts Parley and the fake and creates the workspace and inbox. Throws when any step is refused. */
export async function startCloudBench(options: { databaseUrl?: string | undefined }): Promise<CloudBench> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: "memory://",
    LOG_LEVEL: "silent",
    SHUTDOWN_STAGGER_MS: "0",
    RATE_LIMIT_PER_MINUTE: "100000000",
    AUTH_RATE_LIMIT_PER_MINUTE: "1000000",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const fake = await startFakeGraphThread();
  const parley = await startParley(config, { logger: pino({ level: "silent" }) }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  let token = "";
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${parley.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  try {
    const signup = await request("POST", "/api/v1/auth/signup", {
      name: "Bench",
      email: `bench-${Date.now()}@example.com`,
      password: "benchmark password",
      workspace_name: "Bench",
    });
    if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
    token = signup.body.token;
    const workspaceId: string = signup.body.workspace.id;
    const inbox = await request("POST", `/api/v1/workspaces/${workspaceId}/inboxes`, {
      name: "WhatsApp",
      provider: "whatsapp_cloud",
      config: {
        phone_number_id: fake.phoneNumberId,
        waba_id: fake.wabaId,
        access_token: fake.accessToken,
        app_secret: appSecret,
        verify_token: "bench-verify",
        graph_base_url: fake.url,
        // The campaign benchmark sends 10,000: a number past Meta's starting limit of 250.
        messaging_limit: "unlimited",
      },
    });
    if (inbox.status !== 201) throw new Error(`inbox creation answered ${inbox.status}: ${JSON.stringify(inbox.body)}`);
    const webhookPath = new URL(inbox.body.webhook_url).pathname;
    return {
      engine: options.databaseUrl ? "postgres" : "pglite",
      parley,
      fake,
      token,
      workspaceId,
      webhookPath,
      sign: (body) => signDelivery(appSecret, body),
      async deliver(body, signature) {
        const response = await fetch(`${parley.url}${webhookPath}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          body,
        });
        await response.arrayBuffer();
        return response.status;
      },
      post: (path, body) => request("POST", path, body),
      get: (path) => request("GET", path),
      async close() {
        await parley.close();
        await fake.close();
      },
    };
  } catch (error) {
    await parley.close();
    await fake.close();
    throw error;
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
