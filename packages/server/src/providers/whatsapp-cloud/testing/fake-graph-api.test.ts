import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "./fake-graph-api.ts";

let fake: FakeGraphApi;
beforeEach(async () => {
  fake = await startFakeGraphApi();
});
afterEach(() => fake.close());

const post = (path: string, body: unknown, token = fake.accessToken) =>
  fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const text = { messaging_product: "whatsapp", recipient_type: "individual", to: "5511987654321", type: "text", text: { body: "hi" } };

describe("fake Graph API", () => {
  it("answers a send as Meta does and records it", async () => {
    const response = await post(`/${fake.phoneNumberId}/messages`, text);
    const body = (await response.json()) as { messages: Array<{ id: string }> };
    expect(body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "5511987654321", wa_id: "5511987654321" }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
    const before = Date.now();
    expect(fake.sent()).toEqual([{ wamid: body.messages[0]?.id, body: text, arrivedAtMs: expect.any(Number) }]);
    expect(fake.sent()[0]!.arrivedAtMs).toBeLessThanOrEqual(before);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: `/${fake.phoneNumberId}/messages`, json: text, status: 200 });
  });

  it("answers 401 with Meta's OAuth body (code 190) to a wrong or missing token, on every route", async () => {
    for (const response of [
      await post(`/${fake.phoneNumberId}/messages`, text, "wrong"),
      await fetch(`${fake.url}/${fake.wabaId}/message_templates`),
      await fetch(`${fake.url}/123`, { headers: { authorization: "Bearer nope" } }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 190, type: "OAuthException", fbtrace_id: expect.any(String) } });
    }
    expect(fake.sent()).toEqual([]);
  });

  it("refuses bodies Meta refuses: another number, a missing messaging_product, media it never received", async () => {
    expect((await post("/999/messages", text)).status).toBe(400);
    expect(await (await post(`/${fake.phoneNumberId}/messages`, { ...text, messaging_product: undefined })).json()).toMatchObject({ error: { code: 100 } });
    const image = { ...text, type: "image", image: { id: "424242" } };
    expect(await (await post(`/${fake.phoneNumberId}/messages`, image)).json()).toMatchObject({
      error: { code: 100, error_data: { details: expect.stringContaining("media attachment ID") } },
    });
    expect(fake.sent()).toEqual([]);
  });

  it("answers the configured faults with Meta's error bodies, in order, then recovers", async () => {
    fake.failNextSends(1, 131047);
    fake.failNextSends(1, 130429, { retryAfterSeconds: 3 });
    const first = await post(`/${fake.phoneNumberId}/messages`, text);
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({
      error: {
        message: "(#131047) Re-engagement message",
        type: "OAuthException",
        code: 131047,
        error_data: { messaging_product: "whatsapp", details: expect.any(String) },
      },
    });
    const second = await post(`/${fake.phoneNumberId}/messages`, text);
    expect([second.status, second.headers.get("retry-after")]).toEqual([429, "3"]);
    expect(await second.json()).toMatchObject({ error: { code: 130429, error_subcode: 2494055 } });
    expect((await post(`/${fake.phoneNumberId}/messages`, text)).status).toBe(200);
  });
});
