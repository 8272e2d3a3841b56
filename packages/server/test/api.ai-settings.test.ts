/** AI settings over the API: the key sealed at rest, test connection, LLM suggestions and the offline fallback. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiSettings } from "../src/store/schema/index.ts";
import { useTestApp } from "./app.ts";
import { startFakeOpenAi } from "./fake-openai.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp({ AI_TIMEOUT_MS: "500" });
let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
beforeAll(async () => {
  fake = await startFakeOpenAi({ suggestions: [{ text: "Ongkirnya Rp10.000 ya kak Dewi." }] });
});
afterAll(() => fake.close());

describe("AI settings", () => {
  it("point a workspace at an OpenAI-compatible endpoint, seal the key, test it, and fall back offline", async () => {
    const { api, database } = parley();
    const { token, workspaceId } = await api.signup("ai");
    const path = `${ws(workspaceId)}/ai/settings`;
    expect((await api.get(path, token)).body).toEqual({ engine: "offline", base_url: null, model: null, api_key_set: false });
    const noLlm = await api.post(`${ws(workspaceId)}/ai/summary`, { conversation_id: "01a22628-846d-7644-8197-a7c354ea195b" }, token);
    expect(noLlm.status).toBe(404);
    const incomplete = await api.request("PUT", path, { token, json: { engine: "llm", base_url: fake.baseUrl } });
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.error).toMatchObject({ code: "ai.not_configured", field: "model" });
    expect((await api.get(path, token)).body.engine).toBe("offline");

    const saved = await api.request("PUT", path, { token, json: { engine: "llm", base_url: fake.baseUrl, model: "fake-model", api_key: "sk-secret-123" } });
    expect(saved.body).toEqual({ engine: "llm", base_url: fake.baseUrl, model: "fake-model", api_key_set: true });
    const [row] = await database.db.select().from(aiSettings);
    expect(row?.sealedApiKey).toBeTruthy();
    expect(row?.sealedApiKey).not.toContain("sk-secret-123");
    expect((await api.post(`${path}/test`, {}, token)).body).toEqual({ ok: true, model: "fake-model" });

    const inbox = await api.createWidgetInbox(workspaceId, token);
    const visitor = await api.startVisitor(inbox.widget_key, { name: "Dewi" });
    await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "ongkir ke bekasi brp?", client_message_id: "q" }, visitor.session_token);
    const suggest = () => api.post(`${ws(workspaceId)}/ai/suggestions`, { conversation_id: visitor.conversation.id }, token);
    fake.state.mode = "good";
    const llm = (await suggest()).body;
    expect(llm).toMatchObject({ engine: "llm", suggestions: [{ text: "Ongkirnya Rp10.000 ya kak Dewi.", source: { type: "llm" } }] });
    expect(fake.state.received.at(-1)?.messages[1]?.content).toContain("ongkir ke bekasi brp?");
    const summary = await api.post(`${ws(workspaceId)}/ai/summary`, { conversation_id: visitor.conversation.id }, token);
    expect(summary.body).toMatchObject({ summary: expect.stringContaining("Ongkirnya"), model: "fake-model" });
    expect(fake.state.received.at(-1)?.messages[1]?.content).toBe("Customer: ongkir ke bekasi brp?");
    fake.state.mode = "malformed";
    expect((await suggest()).body.engine).toBe("offline");
    fake.state.mode = "slow";
    const started = performance.now();
    expect((await suggest()).body.engine).toBe("offline");
    expect(performance.now() - started).toBeLessThan(500 + 300);

    // An unreachable endpoint fails the test with the reason, and changes nothing.
    await api.request("PUT", path, { token, json: { engine: "llm", base_url: "http://127.0.0.1:9/v1" } });
    const unreachable = await api.post(`${path}/test`, {}, token);
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error.code).toBe("ai.unreachable");
    expect((await api.get(path, token)).body).toMatchObject({ model: "fake-model", api_key_set: true });
  });

  it("are changed by owners and admins only", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("ai-agent");
    const email = `agent-${Date.now()}@example.com`;
    await api.post(`${ws(workspaceId)}/members`, { email, role: "agent", name: "Ag", password: "agent password" }, token);
    const agent = (await api.post("/api/v1/auth/login", { email, password: "agent password" })).body.token;
    const denied = await api.request("PUT", `${ws(workspaceId)}/ai/settings`, { token: agent, json: { engine: "offline" } });
    expect(denied.status).toBe(403);
    expect((await api.get(`${ws(workspaceId)}/ai/settings`, agent)).status).toBe(200);
  });
});
