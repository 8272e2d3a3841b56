import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createHttpApp } from "../app.ts";
import { webAppRoutes } from "./web-app.routes.ts";

const dist = mkdtempSync(join(tmpdir(), "parley-web-"));
mkdirSync(join(dist, "assets"));
writeFileSync(join(dist, "index.html"), "<!doctype html><title>Parley</title>");
writeFileSync(join(dist, "assets", "app-123.js"), "console.log('app')");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

async function appServing(distPath: string) {
  const app = await createHttpApp({ logger: pino({ level: "silent" }), bodyLimitBytes: 1024, rateLimitPerMinute: 1000 });
  await app.register(webAppRoutes, { distPath });
  return app;
}

describe("the web app", () => {
  it("serves index.html at / and for client-side routes, and assets with long caching", async () => {
    const app = await appServing(dist);
    for (const url of ["/", "/inbox/abc", "/settings/members?x=1"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain("<title>Parley</title>");
    }
    const asset = await app.inject({ method: "GET", url: "/assets/app-123.js" });
    expect(asset.body).toContain("console.log");
    expect(asset.headers["cache-control"]).toContain("immutable");
    await app.close();
  });

  it("never answers an API path with the app", async () => {
    const app = await appServing(dist);
    const response = await app.inject({ method: "GET", url: "/api/v1/unknown" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("route.not_found");
    await app.close();
  });

  it("explains a missing build instead of failing", async () => {
    const app = await appServing(join(dist, "missing"));
    const response = await app.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe("web.not_built");
    await app.close();
  });
});
