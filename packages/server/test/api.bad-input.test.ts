/** The HTTP API: bad input gets a clear error and changes nothing (through inject(), no port). */
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp({ BODY_LIMIT_BYTES: "65536" });

const ws = workspacePath;

describe("bad input changes nothing", () => {
  it("answers malformed JSON with a 400, not a 500", async () => {
    const response = await parley().api.request("POST", "/api/v1/auth/signup", { rawBody: '{"name": "x",' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("request.malformed_json");
  });

  it("names the missing or wrong field", async () => {
    const missing = await parley().api.post("/api/v1/auth/signup", { name: "x", password: "long enough", workspace_name: "y" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe("email");
    const { token, workspaceId } = await parley().api.signup("fields");
    const badProvider = await parley().api.post(`${ws(workspaceId)}/inboxes`, { name: "x", provider: "telegram" }, token);
    expect(badProvider.status).toBe(400);
    expect(badProvider.body.error.field).toBe("provider");
    expect((await parley().api.get(`${ws(workspaceId)}/inboxes`, token)).body.data).toEqual([]);
  });

  it("refuses an oversized body with 413", async () => {
    const { token, workspaceId } = await parley().api.signup("big");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const response = await parley().api.post(
      `/api/v1/widget/${inbox.widget_key}/messages`,
      { body: "x".repeat(70_000), client_message_id: "big-1" },
      visitor.session_token,
    );
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("request.too_large");
    const history = await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    expect(history.body.data).toEqual([]);
  });

  it("refuses an unknown widget key (404) and a bad session token (401)", async () => {
    const { token, workspaceId } = await parley().api.signup("widgetbad");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const other = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    expect((await parley().api.post("/api/v1/widget/wk_nope/sessions", {})).status).toBe(404);
    expect((await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, "wst_forged")).status).toBe(401);
    expect((await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`)).status).toBe(401);
    // A real session token used on another widget is refused too.
    expect((await parley().api.get(`/api/v1/widget/${other.widget_key}/messages`, visitor.session_token)).status).toBe(401);
    const empty = await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "   ", client_message_id: "e1" }, visitor.session_token);
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe("body");
    expect((await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token)).body.data).toEqual([]);
  });

  it("lets the widget call its API and channel auth from customers' sites (CORS)", async () => {
    for (const path of ["/api/v1/widget/wk_any/messages", "/broadcasting/auth"]) {
      const preflight = await parley().api.request("OPTIONS", path, {
        headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    }
    // Agent endpoints are not opened to other origins.
    const agentPreflight = await parley().api.request("OPTIONS", "/api/v1/auth/login", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(agentPreflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await parley().api.get("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("route.not_found");
  });
});
