import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { checkAppsAgainstOwn, parseAppDefinitions } from "./app-config.ts";

describe("PARLEY_APPS", () => {
  it("reads apps with their defaults, a numeric id as a string and webhook filters", () => {
    const apps = parseAppDefinitions(
      JSON.stringify([
        { id: 1001, key: "shop-key", secret: "s" },
        {
          id: "b",
          key: "b.key",
          secret: "t",
          name: "B",
          enabled: false,
          max_connections: 50,
          client_events: false,
          user_authentication: false,
          subscription_count: true,
          webhooks: [{ url: "https://b.example/hook", events: ["channel_occupied"] }, { url: "http://127.0.0.1:9/all" }],
        },
      ]),
      "PARLEY_APPS",
    );
    expect(apps).toEqual([
      {
        id: "1001",
        key: "shop-key",
        secret: "s",
        name: "1001",
        enabled: true,
        maxConnections: null,
        clientEvents: true,
        userAuthentication: true,
        subscriptionCount: false,
        webhooks: [],
      },
      {
        id: "b",
        key: "b.key",
        secret: "t",
        name: "B",
        enabled: false,
        maxConnections: 50,
        clientEvents: false,
        userAuthentication: false,
        subscriptionCount: true,
        webhooks: [
          { url: "https://b.example/hook", events: ["channel_occupied"] },
          { url: "http://127.0.0.1:9/all", events: null },
        ],
      },
    ]);
  });

  it.each([
    ["not JSON", "[{", /PARLEY_APPS is not valid JSON/],
    ["not an array", '{"id":"a"}', /PARLEY_APPS is invalid: \(root\)/],
    ["a missing secret", '[{"id":"a","key":"k"}]', /0\.secret/],
    ["an unknown field", '[{"id":"a","key":"k","secret":"s","colour":"red"}]', /colour/],
    ["a key with a slash", '[{"id":"a","key":"k/1","secret":"s"}]', /0\.key: must be 1-128 of/],
    ["a webhook that is not http", '[{"id":"a","key":"k","secret":"s","webhooks":[{"url":"ftp://x.example/"}]}]', /0\.webhooks\.0\.url/],
    [
      "an unknown webhook event",
      '[{"id":"a","key":"k","secret":"s","webhooks":[{"url":"https://x.example/","events":["cache_hit"]}]}]',
      /0\.webhooks\.0\.events\.0/,
    ],
    ["a duplicate id", '[{"id":"a","key":"k1","secret":"s"},{"id":"a","key":"k2","secret":"s"}]', /1\.id: duplicate id "a"/],
    ["a duplicate key", '[{"id":"a","key":"k","secret":"s"},{"id":"b","key":"k","secret":"s"}]', /1\.key: duplicate key "k"/],
  ])("refuses %s with a clear error", (_case, text, message) => {
    expect(() => parseAppDefinitions(text, "PARLEY_APPS")).toThrow(message);
  });

  it("refuses an app that takes Parley's own id or key", () => {
    const [app] = parseAppDefinitions('[{"id":"7","key":"k","secret":"s"}]', "PARLEY_APPS");
    expect(() => checkAppsAgainstOwn([app!], { id: "7", key: "own" })).toThrow(/Parley's own app id/);
    expect(() => checkAppsAgainstOwn([app!], { id: "8", key: "k" })).toThrow(/Parley's own app key/);
    expect(() => checkAppsAgainstOwn([app!], { id: "8", key: "own" })).not.toThrow();
  });

  it("is read from PARLEY_APPS or PARLEY_APPS_FILE, not both, and a file that cannot be read is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-apps-"));
    const file = join(dir, "apps.json");
    writeFileSync(file, '[{"id":"f","key":"file-key","secret":"s"}]');
    expect(loadConfig({ PARLEY_APPS_FILE: file }).apps.map((app) => app.key)).toEqual(["file-key"]);
    expect(loadConfig({ PARLEY_APPS: '[{"id":"e","key":"env-key","secret":"s"}]' }).apps.map((app) => app.key)).toEqual(["env-key"]);
    expect(loadConfig({}).apps).toEqual([]);
    expect(() => loadConfig({ PARLEY_APPS: "[]", PARLEY_APPS_FILE: file })).toThrow(/not both/);
    expect(() => loadConfig({ PARLEY_APPS_FILE: join(dir, "missing.json") })).toThrow(/PARLEY_APPS_FILE .*missing\.json cannot be read/);
    writeFileSync(file, "[");
    expect(() => loadConfig({ PARLEY_APPS_FILE: file })).toThrow(/PARLEY_APPS_FILE .*apps\.json is not valid JSON/);
  });

  it("reads MAX_CHANNELS_PER_CONNECTION, 100 by default", () => {
    expect(loadConfig({}).maxChannelsPerConnection).toBe(100);
    expect(loadConfig({ MAX_CHANNELS_PER_CONNECTION: "7" }).maxChannelsPerConnection).toBe(7);
    expect(() => loadConfig({ MAX_CHANNELS_PER_CONNECTION: "0" })).toThrow(/MAX_CHANNELS_PER_CONNECTION/);
  });
});
