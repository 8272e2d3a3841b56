/** Languages over the HTTP API: a user's locale, and error messages in Indonesian (issue 9, part 7). */
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";

const parley = useTestApp();

describe("a user's language", () => {
  it("starts in English, changes to Indonesian with PATCH /auth/me, and stays so on the next login", async () => {
    const email = `dewi-${Date.now()}@example.com`;
    const signup = await parley().api.post("/api/v1/auth/signup", { name: "Dewi", email, password: "rahasia sekali", workspace_name: "Toko Dewi" });
    expect(signup.body.user.locale).toBe("en");
    const changed = await parley().api.request("PATCH", "/api/v1/auth/me", { token: signup.body.token, json: { locale: "id" } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ user: { email, locale: "id" } });
    const login = await parley().api.post("/api/v1/auth/login", { email, password: "rahasia sekali" });
    expect(login.body.user.locale).toBe("id");
    expect((await parley().api.get("/api/v1/auth/me", login.body.token)).body.user.locale).toBe("id");
  });

  it("signs up in the language the sign-up form was in", async () => {
    const email = `budi-${Date.now()}@example.com`;
    const signup = await parley().api.post("/api/v1/auth/signup", {
      name: "Budi",
      email,
      password: "rahasia sekali",
      workspace_name: "Warung Budi",
      locale: "id",
    });
    expect(signup.body.user.locale).toBe("id");
  });

  it("refuses a language Parley does not speak, and changes nothing", async () => {
    const { token } = await parley().api.signup("locale-bad");
    const refused = await parley().api.request("PATCH", "/api/v1/auth/me", { token, json: { locale: "fr" } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "request.invalid", field: "locale" });
    expect((await parley().api.get("/api/v1/auth/me", token)).body.user.locale).toBe("en");
    const malformed = await parley().api.request("PATCH", "/api/v1/auth/me", { token, rawBody: "{locale", headers: { "content-type": "application/json" } });
    expect(malformed.body.error.code).toBe("request.malformed_json");
    expect((await parley().api.request("PATCH", "/api/v1/auth/me", { json: { locale: "id" } })).status).toBe(401);
  });
});

describe("error messages", () => {
  it("answer in Indonesian when the request asks for it, with the same code", async () => {
    const headers = { "accept-language": "id-ID,id;q=0.9,en;q=0.5" };
    const wrong = await parley().api.request("POST", "/api/v1/auth/login", { json: { email: "nobody@example.com", password: "salah" }, headers });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: "auth.invalid_credentials", message: "E-mail atau kata sandi salah." });
    const english = await parley().api.request("POST", "/api/v1/auth/login", { json: { email: "nobody@example.com", password: "salah" } });
    expect(english.body.error).toEqual({ code: "auth.invalid_credentials", message: "The e-mail or password is wrong." });
  });

  it("translate the top-level message of a validation failure and keep the field", async () => {
    const headers = { "accept-language": "id" };
    const invalid = await parley().api.request("POST", "/api/v1/auth/signup", { json: { name: "", email: "x", password: "p", workspace_name: "w" }, headers });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("request.invalid");
    expect(invalid.body.error.message).toMatch(/^Data yang dikirim tidak valid\. \(name: /);
    expect(invalid.body.error.field).toBeTruthy();
    const unknownRoute = await parley().api.request("GET", "/api/v1/nothing-here", { headers });
    expect(unknownRoute.body.error).toEqual({ code: "route.not_found", message: "Alamat ini tidak ada." });
  });

  it("follow the signed-in user's language when the request names none", async () => {
    const { token, workspaceId } = await parley().api.signup("locale-errors");
    await parley().api.request("PATCH", "/api/v1/auth/me", { token, json: { locale: "id" } });
    const path = `/api/v1/workspaces/${workspaceId}/conversations/00000000-0000-4000-8000-000000000000`;
    const missing = await parley().api.get(path, token);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: "conversations.not_found", message: "Percakapan tidak ditemukan." });
    const askedEnglish = await parley().api.request("GET", path, { token, headers: { "accept-language": "en" } });
    expect(askedEnglish.body.error.message).toBe("No such conversation.");
  });
});

describe("the widget's language", () => {
  it("is the inbox's setting (auto by default) and reaches the visitor's /config", async () => {
    const { token, workspaceId } = await parley().api.signup("widget-locale");
    const inboxes = `/api/v1/workspaces/${workspaceId}/inboxes`;
    const indonesian = await parley().api.post(inboxes, { name: "Situs", provider: "web_widget", widget: { locale: "id" } }, token);
    expect(indonesian.status).toBe(201);
    expect(indonesian.body.widget.locale).toBe("id");
    expect((await parley().api.get(`/api/v1/widget/${indonesian.body.widget_key}/config`)).body.locale).toBe("id");
    const automatic = await parley().api.post(inboxes, { name: "Site", provider: "web_widget" }, token);
    expect((await parley().api.get(`/api/v1/widget/${automatic.body.widget_key}/config`)).body.locale).toBe("auto");
    const refused = await parley().api.post(inboxes, { name: "Site", provider: "web_widget", widget: { locale: "fr" } }, token);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "request.invalid", field: "widget.locale" });
  });
});
