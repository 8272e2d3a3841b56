import { describe, expect, it } from "vitest";
import { Api, ApiError, isAuthError } from "./api.ts";

const api = (answer: () => Promise<Response>) => new Api("https://p.example", "wk_1", answer);

describe("Api errors", () => {
  it("turns the server's error body into a typed ApiError", async () => {
    const err = await api(async () => Response.json({ error: { code: "session.expired", message: "Expired" } }, { status: 401 }))
      .resumeSession("t")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: "session.expired", message: "Expired" });
    expect(isAuthError(err)).toBe(true);
  });

  it("reports a network failure as status 0, code network", async () => {
    const err = await api(async () => {
      throw new TypeError("Failed to fetch");
    })
      .config()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: "network" });
    expect(isAuthError(err)).toBe(false);
  });

  it("reports a non-JSON error page and a 2xx without the expected body", async () => {
    await expect(api(async () => new Response("<html>502</html>", { status: 502 })).config()).rejects.toMatchObject({
      status: 502,
      code: "http_502",
    });
    await expect(api(async () => Response.json({ nope: 1 })).messages("t", null)).rejects.toMatchObject({ code: "bad_response" });
    await expect(api(async () => Response.json({})).authorize("t", "/broadcasting/auth", "1.2", "private-x")).rejects.toMatchObject({
      code: "bad_response",
    });
  });

  it("accepts 204 and a bare 2xx for receipts", async () => {
    await expect(api(async () => new Response(null, { status: 204 })).receipt("t", "read", "m1")).resolves.toBeUndefined();
    await expect(api(async () => new Response("", { status: 200 })).typing("t", true)).resolves.toBeUndefined();
  });

  it("builds the documented URLs and headers", async () => {
    const seen: Array<[string, RequestInit | undefined]> = [];
    const a = new Api("https://p.example", "wk_1", async (url, init) => {
      seen.push([url, init]);
      return Response.json({ data: [] });
    });
    await a.messages("tok", "0190a");
    await a.messages("tok", null);
    expect(seen.map(([u]) => u)).toEqual([
      "https://p.example/api/v1/widget/wk_1/messages?after=0190a&limit=50",
      "https://p.example/api/v1/widget/wk_1/messages?limit=50",
    ]);
    expect(seen[0]![1]!.headers).toMatchObject({ Authorization: "Bearer tok" });
  });
});
