/** The signed-in user's language: applied on login, changed and saved from the user menu, sent with every request. */
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { currentLocale, setLocale } from "../../../i18n/index.ts";
import { configureHttp } from "../../../lib/http.ts";
import { useSessionStore } from "./session.store.ts";

const user = (locale: "en" | "id") => ({ id: "u1", name: "Dewi", email: "dewi@example.com", locale });
const json = (body: unknown, status = 200) => Response.json(body, { status });

interface Sent {
  method: string;
  url: string;
  body: any;
  headers: Record<string, string>;
}

/** Stubs fetch with `routes` ("METHOD path" → answer) and records each request with its headers. */
function fakeFetch(routes: Record<string, (body: any) => Response>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      sent.push({ method, url, body, headers: { ...(init.headers as Record<string, string>) } });
      const route = routes[`${method} ${url}`];
      if (!route) throw new Error(`unexpected ${method} ${url}`);
      return route(body);
    }),
  );
  return sent;
}

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  configureHttp({ locale: currentLocale });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setLocale("en");
});

describe("the session's language", () => {
  it("switches the UI to the user's saved language on login", async () => {
    fakeFetch({ "POST /api/v1/auth/login": () => json({ token: "pat_1", user: user("id"), workspaces: [] }) });
    await useSessionStore().login("dewi@example.com", "rahasia sekali");
    expect(currentLocale()).toBe("id");
  });

  it("changes the language at once, saves it on the user, and asks the server for errors in it", async () => {
    const requests = fakeFetch({
      "POST /api/v1/auth/login": () => json({ token: "pat_1", user: user("en"), workspaces: [] }),
      "PATCH /api/v1/auth/me": (body) => json({ user: user(body.locale) }),
      "GET /api/v1/auth/me": () => json({ user: user("id"), workspaces: [] }),
    });
    const session = useSessionStore();
    await session.login("dewi@example.com", "rahasia sekali");
    expect(requests[0]!.headers["accept-language"]).toBe("en");
    await session.setLocale("id");
    expect(currentLocale()).toBe("id");
    expect(requests[1]).toMatchObject({ method: "PATCH", url: "/api/v1/auth/me", body: { locale: "id" } });
    expect(session.user?.locale).toBe("id");
    await session.refreshWorkspaces();
    expect(requests[2]!.headers["accept-language"]).toBe("id");
  });

  it("keeps the new language in this browser when saving it fails", async () => {
    fakeFetch({
      "POST /api/v1/auth/login": () => json({ token: "pat_1", user: user("en"), workspaces: [] }),
      "PATCH /api/v1/auth/me": () => json({ error: { code: "internal", message: "Something went wrong on our side." } }, 500),
    });
    const session = useSessionStore();
    await session.login("dewi@example.com", "rahasia sekali");
    await expect(session.setLocale("id")).rejects.toThrow();
    expect(currentLocale()).toBe("id");
    expect(localStorage.getItem("parley.locale")).toBe("id");
  });

  it("signs up in the language the form was shown in", async () => {
    setLocale("id");
    const requests = fakeFetch({
      "POST /api/v1/auth/signup": (body) => json({ token: "pat_1", user: user(body.locale), workspace: { id: "w1", name: "Toko", slug: "toko" } }, 201),
    });
    await useSessionStore().signup({ name: "Dewi", email: "dewi@example.com", password: "rahasia sekali", workspace_name: "Toko" });
    expect(requests[0]!.body.locale).toBe("id");
  });
});
