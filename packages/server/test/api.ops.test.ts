/** The HTTP API: health, metrics, real-time settings, OpenAPI, the widget bundle. */
import { describe, expect, it } from "vitest";
import { useTestParley } from "./parley.ts";

const parley = useTestParley("pglite");

describe("ops", () => {
  it("reports health per dependency and Prometheus metrics", async () => {
    const health = await parley().api.get("/api/v1/health");
    expect(health.status).toBe(200);
    expect(health.body.checks.database.status).toBe("ok");
    expect(health.body.checks.jobs.status).toBe("ok");
    expect(health.body.node).toMatchObject({ roles: ["api", "realtime", "worker"], connections: 0, whatsapp_sessions: 0 });
    const metrics = await fetch(`${parley().url}/metrics`).then((response) => response.text());
    expect(metrics).toContain("parley_realtime_connections");
    expect(metrics).toContain("parley_messages_total");
    expect(metrics).toContain("parley_realtime_broadcast_latency_seconds");
    expect(metrics).toMatch(/^parley_jobs_waiting\{queue="messages.send"\} \d+$/m);
    expect(metrics).toMatch(/^parley_jobs_active\{queue="whatsapp.session"\} \d+$/m);
    expect(metrics).toMatch(/^parley_webhook_deliveries_waiting \d+$/m);
    expect(metrics).toMatch(/^parley_broadcasts_pending 0$/m);
  });

  it("serves the realtime settings, the OpenAPI document and the widget", async () => {
    const realtime = await parley().api.get("/api/v1/realtime");
    expect(realtime.body).toMatchObject({ app_key: parley().realtimeApp.key, auth_endpoint: "/broadcasting/auth" });
    const docs = await parley().api.get("/api/docs/json");
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain("/api/v1/workspaces/{workspace_id}/conversations");
    const widget = await fetch(`${parley().url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toContain("javascript");
  });
});
