/**
 * Starts a real Parley for a test: its own database (in-memory PGlite, or a fresh PostgreSQL
 * database when engine is "postgres"), port 0, quiet logs. Plus a small JSON client.
 */
import pino from "pino";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../src/config.ts";
import { startParley, type RunningParley, type StartOptions } from "../src/main.ts";
import { createPostgresDatabase, type Engine } from "./databases.ts";

export interface TestParley extends RunningParley {
  api: ApiClient;
  /** The PostgreSQL database it runs on (DATABASE_URL); undefined on PGlite. */
  databaseUrl: string | undefined;
  /** Stops Parley and drops its database. */
  stop(): Promise<void>;
}

/**
 * Starts one Parley for the calling test file (beforeAll) and stops it after (afterAll).
 * Returns an accessor, valid inside tests.
 */
export function useTestParley(engine: Engine = "pglite", overrides: Record<string, string> = {}): () => TestParley {
  let parley: TestParley | undefined;
  beforeAll(async () => {
    parley = await startTestParley(engine, overrides);
  });
  afterAll(async () => {
    await parley?.stop();
  });
  return () => {
    if (!parley) throw new Error("Parley is not started yet: use it inside a test");
    return parley;
  };
}

/** `/api/v1/workspaces/{workspace_id}`: the prefix of every workspace-scoped path. */
export const workspacePath = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

/**
 * Starts Parley on `engine` with environment `overrides` (e.g. { RATE_LIMIT_PER_MINUTE: "5" }).
 * `{ databaseUrl }` runs it on an existing PostgreSQL database, left in place by `stop()`, so
 * several nodes can share one database (scale-out tests); `options.roles` gives a node only some
 * of the work (node-roles.ts); `options.sandboxNetwork` lets nodes of
 * one process share the sandbox engine's simulated WhatsApp; `options.hostedAppTimings` shortens
 * the hosted apps' webhook delays.
 */
export async function startTestParley(
  engine: Engine | { databaseUrl: string } = "pglite",
  overrides: Record<string, string> = {},
  options: Pick<StartOptions, "sandboxNetwork" | "roles" | "hostedAppTimings"> = {},
): Promise<TestParley> {
  const database = engine === "postgres" ? await createPostgresDatabase() : null;
  const shared = typeof engine === "object" ? { DATABASE_URL: engine.databaseUrl } : {};
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: "memory://",
    SHUTDOWN_STAGGER_MS: "0",
    LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
    RATE_LIMIT_PER_MINUTE: "100000",
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...shared,
    ...overrides,
  });
  const parley = await startParley(config, { logger: pino({ level: config.logLevel }), ...options });
  return {
    ...parley,
    api: new ApiClient(parley.url),
    databaseUrl: config.databaseUrl,
    async stop() {
      await parley.close();
      await database?.drop();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP exchange, whatever carries it: fetch to a listening Parley, or `app.inject()`. */
export type HttpTransport = (request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}) => Promise<{ status: number; headers: Headers; text: string }>;

/** Sends requests over the network to `baseUrl` (a listening Parley). */
export function fetchTransport(baseUrl: string): HttpTransport {
  return async ({ method, path, headers, body }) => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

/** JSON in and out, over fetch (given a base URL) or any transport; never throws for HTTP statuses. */
export class ApiClient {
  private readonly transport: HttpTransport;

  constructor(target: string | HttpTransport) {
    this.transport = typeof target === "string" ? fetchTransport(target) : target;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.rawBody !== undefined) {
      headers["content-type"] ??= "application/json";
      body = options.rawBody;
    }
    const response = await this.transport({ method, path, headers, ...(body !== undefined ? { body } : {}) });
    let parsed: unknown = response.text;
    try {
      parsed = response.text ? JSON.parse(response.text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>("GET", path, token ? { token } : {});
  }

  post<T = any>(path: string, json: unknown, token?: string) {
    return this.request<T>("POST", path, { json, ...(token ? { token } : {}) });
  }

  patch<T = any>(path: string, json: unknown, token?: string) {
    return this.request<T>("PATCH", path, { json, ...(token ? { token } : {}) });
  }

  /** Signs up a new user and workspace; returns the token and ids. */
  async signup(label: string): Promise<{ token: string; userId: string; workspaceId: string }> {
    const email = `${label}-${Math.random().toString(36).slice(2)}@example.com`;
    const response = await this.post("/api/v1/auth/signup", {
      name: `${label} owner`,
      email,
      password: "correct horse battery",
      workspace_name: `${label} Inc`,
    });
    if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { token: response.body.token, userId: response.body.user.id, workspaceId: response.body.workspace.id };
  }

  /** Creates a widget inbox in the workspace; returns it. */
  async createWidgetInbox(workspaceId: string, token: string): Promise<{ id: string; widget_key: string }> {
    const response = await this.post(`/api/v1/workspaces/${workspaceId}/inboxes`, { name: "Website", provider: "web_widget" }, token);
    if (response.status !== 201) throw new Error(`inbox failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Starts a visitor session on a widget; returns the session body. */
  async startVisitor(widgetKey: string, visitor: { name?: string; email?: string } = {}) {
    const response = await this.post(`/api/v1/widget/${widgetKey}/sessions`, visitor);
    if (response.status !== 201) throw new Error(`session failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { session_token: string; contact: { id: string }; conversation: { id: string }; realtime: { app_key: string; channel: string } };
  }
}
