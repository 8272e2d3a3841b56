/** Settings → AI: engine, base URL, model, write-only API key, Test connection, the classifier's status, refusals shown. */
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { useAiSettingsStore } from "../store/ai-settings.store.ts";
import AiSettings from "./AiSettings.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const ws = `/api/v1/workspaces/${workspaceId}`;
const offline = { engine: "offline", base_url: null, model: null, api_key_set: false };
const untrained = { trained: false, examples: 3, intents: [], trained_at: null, minimum_examples: 10 };

beforeEach(() => {
  setActivePinia(createPinia());
  useAiSettingsStore().reset({ workspaceId, me: { id: "me", name: "Owner" } });
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("AI settings", () => {
  it("switch to an LLM with base URL, model and key; the key is never shown back, only that one is set", async () => {
    const requests = fakeFetch({
      [`GET ${ws}/ai/settings`]: () => jsonResponse(offline),
      [`GET ${ws}/ai/classifier`]: () => jsonResponse(untrained),
      [`PUT ${ws}/ai/settings`]: (body) => jsonResponse({ engine: body.engine, base_url: body.base_url ?? null, model: body.model ?? null, api_key_set: true }),
      [`POST ${ws}/ai/settings/test`]: () => jsonResponse({ ok: true, model: "llama3.1" }),
    });
    const wrapper = mount(AiSettings, { props: { canManage: true } });
    await flushPromises();
    expect(wrapper.find("#ai-base-url").exists()).toBe(false);
    await wrapper.get('input[value="llm"]').setValue(true);
    await wrapper.get("#ai-base-url").setValue("http://127.0.0.1:11434/v1");
    await wrapper.get("#ai-model").setValue("llama3.1");
    await wrapper.get("#ai-key").setValue("sk-secret");
    expect(wrapper.get('[data-testid="key-state"]').text()).toBe("No key set");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({
      method: "PUT",
      body: { engine: "llm", base_url: "http://127.0.0.1:11434/v1", model: "llama3.1", api_key: "sk-secret" },
    });
    expect(wrapper.get('[role="status"]').text()).toBe("AI settings saved.");
    expect((wrapper.get("#ai-key").element as HTMLInputElement).value).toBe("");
    expect(wrapper.get('[data-testid="key-state"]').text()).toBe("A key is set. Type a new one to replace it.");

    // Saving again without typing a key keeps the stored one: no api_key in the body.
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)!.body).toEqual({ engine: "llm", base_url: "http://127.0.0.1:11434/v1", model: "llama3.1" });

    await wrapper.get('[data-testid="test-connection"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="test-result"]').text()).toBe("Connected: llama3.1 answered.");
  });

  it("show why the connection test failed, and the server's refusal of a setting", async () => {
    fakeFetch({
      [`GET ${ws}/ai/settings`]: () => jsonResponse({ engine: "llm", base_url: "http://llm.invalid/v1", model: "m", api_key_set: true }),
      [`GET ${ws}/ai/classifier`]: () => jsonResponse(untrained),
      [`POST ${ws}/ai/settings/test`]: () =>
        jsonResponse({ error: { code: "ai.unreachable", message: "The AI endpoint did not answer: connection refused." } }, 502),
      [`PUT ${ws}/ai/settings`]: () => jsonResponse({ error: { code: "validation", message: "base_url: Invalid URL", field: "base_url" } }, 400),
    });
    const wrapper = mount(AiSettings, { props: { canManage: true } });
    await flushPromises();
    await wrapper.get('[data-testid="test-connection"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="test-result"]').text()).toBe("The AI endpoint did not answer: connection refused.");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe("base_url: Invalid URL");
    expect(wrapper.get("#ai-base-url").attributes("aria-invalid")).toBe("true");
  });

  it("say what the intent classifier has learnt", async () => {
    fakeFetch({
      [`GET ${ws}/ai/settings`]: () => jsonResponse(offline),
      [`GET ${ws}/ai/classifier`]: () =>
        jsonResponse({ trained: true, examples: 11, intents: ["complaint", "purchase"], trained_at: "2026-03-05T10:00:00.000Z", minimum_examples: 10 }),
    });
    const wrapper = mount(AiSettings, { props: { canManage: true } });
    await flushPromises();
    expect(wrapper.get('[data-testid="classifier-status"]').text()).toMatch(/^Learnt from 11 corrections \(Complaint, Purchase\) on .+\.$/);
  });

  it("are read-only for agents, and the classifier's status before training says how many corrections it needs", async () => {
    fakeFetch({ [`GET ${ws}/ai/settings`]: () => jsonResponse(offline), [`GET ${ws}/ai/classifier`]: () => jsonResponse(untrained) });
    const wrapper = mount(AiSettings, { props: { canManage: false } });
    await flushPromises();
    expect(wrapper.get('[role="note"]').text()).toBe("Only owners and admins can change the AI settings.");
    expect(wrapper.get("fieldset").attributes("disabled")).toBeDefined();
    expect(wrapper.find('button[type="submit"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="classifier-status"]').text()).toBe(
      "Keyword rules decide intents until agents have corrected 10 messages of at least two intents (3 so far).",
    );
  });
});
