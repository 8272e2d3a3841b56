/**
 * The Pusher conformance suite: what a Laravel team relies on when it points its app at Parley
 * instead of Pusher or Reverb, driven only by the official packages (pusher-js, laravel-echo,
 * the `pusher` server SDK), with a hosted app from PARLEY_APPS beside Parley's own app.
 * `runConformance` runs the same scenarios against any cluster: one node, or three nodes on
 * PostgreSQL and Redis (pusher-conformance.test.ts). Scenarios spread their clients over the
 * nodes (`node(i)` is node i modulo their number), so on three nodes every check crosses nodes.
 */
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import type { RealtimeServer } from "../src/realtime/server.ts";
import type { TestParley } from "./parley.ts";
import { AppBackend, Pusher, type PusherClient, pusherJs, serverSdk, type TestAppConfig, WebhookReceiver } from "./pusher-apps.ts";
import { appScenarios } from "./pusher-conformance/apps.ts";
import { CHANNEL_CAP, type ConformanceCluster, type ConformanceContext, conformanceApps } from "./pusher-conformance/context.ts";
import { echoScenarios } from "./pusher-conformance/echo.ts";
import { protocolScenarios } from "./pusher-conformance/protocol.ts";
import { shutdownScenarios } from "./pusher-conformance/shutdown.ts";
import { webhookScenarios } from "./pusher-conformance/webhooks.ts";

export { CHANNEL_CAP, CONFORMANCE_TIMINGS, type ConformanceCluster, conformanceApps, LEAVE_DELAY_MS } from "./pusher-conformance/context.ts";

/** The environment a conformance node runs with, besides its database and Redis. */
export function conformanceEnv(apps: TestAppConfig[]): Record<string, string> {
  return { PARLEY_APPS: JSON.stringify(apps), MAX_CHANNELS_PER_CONNECTION: String(CHANNEL_CAP) };
}

export function runConformance(name: string, start: (apps: TestAppConfig[]) => Promise<ConformanceCluster>): void {
  describe(`Pusher conformance: ${name}`, () => {
    let cluster: ConformanceCluster;
    let receiver: WebhookReceiver;
    let backend: AppBackend;
    let SHOP: TestAppConfig;
    let QUOTA: TestAppConfig;
    const clients: PusherClient[] = [];
    const echos: Array<{ disconnect(): void }> = [];

    beforeAll(async () => {
      const probe = conformanceApps("http://127.0.0.1/")[0]!;
      receiver = await WebhookReceiver.start(probe);
      backend = await AppBackend.start(probe);
      const apps = conformanceApps(receiver.url);
      [SHOP, QUOTA] = apps as [TestAppConfig, TestAppConfig];
      cluster = await start(apps);
    });

    afterEach(() => {
      for (const client of clients.splice(0)) client.disconnect();
      for (const echo of echos.splice(0)) echo.disconnect();
    });

    afterAll(async () => {
      await cluster?.stop();
      await cluster?.cleanup?.();
      await receiver?.stop();
      await backend?.stop();
    });

    const node = (i: number): TestParley => cluster.nodes[i % cluster.nodes.length]!;
    const shopServer = (i: number): RealtimeServer => node(i).hostedApps!.apps.find((app) => app.definition.id === SHOP.id)!.server;
    const shop = (i: number, userId: string): PusherClient => {
      const client = pusherJs(SHOP, node(i).url, backend, userId);
      clients.push(client);
      return client;
    };
    /** A pusher-js client of Parley's own app (public channels need no authorisation). */
    const own = (i: number): PusherClient => {
      const url = new URL(node(i).url);
      const client = new Pusher(node(i).realtimeApp.key, {
        cluster: "",
        wsHost: url.hostname,
        wsPort: Number(url.port),
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
      });
      clients.push(client);
      return client;
    };
    const ownSdk = (i: number) => serverSdk({ ...node(i).realtimeApp }, node(i).url);

    const ctx: ConformanceContext = {
      get cluster() {
        return cluster;
      },
      get receiver() {
        return receiver;
      },
      get backend() {
        return backend;
      },
      get shopApp() {
        return SHOP;
      },
      get quotaApp() {
        return QUOTA;
      },
      node,
      shopServer,
      shop,
      own,
      ownSdk,
      clients,
      echos,
    };
    appScenarios(ctx);
    echoScenarios(ctx);
    protocolScenarios(ctx);
    webhookScenarios(ctx);
    shutdownScenarios(ctx);
  });
}
