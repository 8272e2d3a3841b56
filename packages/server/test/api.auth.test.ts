/** The HTTP API: sign-up, login, tokens (through inject(), no port). */
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

const ws = workspacePath;

describe("auth", () => {
  it("signs up, logs in, knows who you are, and logs out", async () => {
    const email = `ada-${Date.now()}@Example.com`;
    const signup = await parley().api.post("/api/v1/auth/signup", { name: "Ada", email, password: "analytical engine", workspace_name: "Ada's Shop" });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({
      user: { name: "Ada", email: email.toLowerCase() },
      workspace: { name: "Ada's Shop", slug: expect.stringMatching(/^adas-shop/) },
    });
    expect(signup.body.token).toMatch(/^pat_/);

    const login = await parley().api.post("/api/v1/auth/login", { email: email.toUpperCase(), password: "analytical engine" });
    expect(login.status).toBe(200);
    expect(login.body.workspaces).toEqual([{ id: signup.body.workspace.id, name: "Ada's Shop", slug: signup.body.workspace.slug, role: "owner" }]);

    const me = await parley().api.get("/api/v1/auth/me", login.body.token);
    expect(me.body.user.id).toBe(signup.body.user.id);

    expect((await parley().api.post("/api/v1/auth/logout", {}, login.body.token)).status).toBe(204);
    expect((await parley().api.get("/api/v1/auth/me", login.body.token)).status).toBe(401);
    expect((await parley().api.get("/api/v1/auth/me", signup.body.token)).status).toBe(200);
  });

  it("creates, lists and revokes named tokens, and a revoked token stops working", async () => {
    const { token } = await parley().api.signup("tokens");
    const created = await parley().api.post("/api/v1/auth/tokens", { name: "CRM sync" }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "CRM sync", token: expect.stringMatching(/^pat_/) });
    const listed = await parley().api.get("/api/v1/auth/tokens", token);
    expect(listed.body.data.map((t: { name: string }) => t.name)).toEqual(["CRM sync", "signup"]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await parley().api.get("/api/v1/auth/me", created.body.token)).status).toBe(200);
    expect((await parley().api.request("DELETE", `/api/v1/auth/tokens/${created.body.id}`, { token })).status).toBe(204);
    expect((await parley().api.get("/api/v1/auth/me", created.body.token)).status).toBe(401);
    const other = await parley().api.signup("tokens-other");
    const otherToken = (await parley().api.get("/api/v1/auth/tokens", other.token)).body.data[0].id;
    expect((await parley().api.request("DELETE", `/api/v1/auth/tokens/${otherToken}`, { token })).status).toBe(404);
    expect((await parley().api.get("/api/v1/auth/me", other.token)).status).toBe(200);
  });

  it("refuses a wrong password, a taken e-mail and a short password", async () => {
    const email = `grace-${Date.now()}@example.com`;
    await parley().api.post("/api/v1/auth/signup", { name: "Grace", email, password: "cobol rocks!", workspace_name: "Navy" });
    const wrong = await parley().api.post("/api/v1/auth/login", { email, password: "fortran" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("auth.invalid_credentials");
    const unknown = await parley().api.post("/api/v1/auth/login", { email: "nobody@example.com", password: "whatever1" });
    expect(unknown.status).toBe(401);
    const taken = await parley().api.post("/api/v1/auth/signup", { name: "G2", email, password: "another one", workspace_name: "X" });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "users.email_taken", field: "email" });
    const short = await parley().api.post("/api/v1/auth/signup", { name: "S", email: `s-${Date.now()}@example.com`, password: "short", workspace_name: "X" });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe("password");
  });

  it("answers 401 without a token or with a made-up one", async () => {
    const { workspaceId } = await parley().api.signup("tokenless");
    expect((await parley().api.get(`${ws(workspaceId)}/conversations`)).status).toBe(401);
    const bogus = await parley().api.get(`${ws(workspaceId)}/conversations`, "pat_not-a-real-token");
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe("auth.invalid_token");
  });
});
