/** The contact panel's conversation intelligence: suggestions with their source and engine, insert, figures, labels, summary. */
import type { ApiConversationContext, ApiSuggestions } from "@parley/protocol/api";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../../i18n/index.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { useInsightsStore } from "../store/insights.store.ts";
import { useKnowledgeStore } from "../store/knowledge.store.ts";
import ConversationInsights from "./ConversationInsights.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";
const ws = `/api/v1/workspaces/${workspaceId}`;
const now = Date.parse("2026-03-05T10:00:00Z");

function context(overrides: Partial<ApiConversationContext["conversation"]> = {}): ApiConversationContext {
  return {
    conversation: {
      message_count: 5,
      inbound_count: 3,
      outbound_count: 2,
      first_message_at: "2026-03-05T09:00:00.000Z",
      last_message_at: "2026-03-05T09:58:00.000Z",
      first_response_seconds: 90,
      average_response_seconds: 150,
      waiting_since: "2026-03-05T09:58:00.000Z",
      ...overrides,
    },
    customer: {
      name: "Sari",
      phone: "+6281234567890",
      first_contact_at: "2026-01-10T08:00:00.000Z",
      interaction_count: 42,
      sentiment_trend: [
        { at: "2026-03-05T09:00:00.000Z", score: 0.4 },
        { at: "2026-03-05T09:30:00.000Z", score: -0.2 },
        { at: "2026-03-05T09:58:00.000Z", score: -0.6 },
      ],
    },
    business: {
      inbox: { id: "i1", name: "Toko", provider: "whatsapp_cloud" },
      assignee: null,
      labels: ["vip"],
      custom_attributes: { plan: "gold" },
    },
  };
}

const suggestions: ApiSuggestions = {
  engine: "offline",
  suggestions: [
    { text: "Ongkir ke Jakarta Rp10.000 ya kak Sari", source: { type: "canned_response", id: "cr1" }, score: 0.9 },
    { text: "Pengiriman 2–3 hari kerja.", source: { type: "article", id: "a1" }, score: 0.7 },
    { text: "Bisa kak, dikirim hari ini.", source: { type: "past_reply" }, score: 0.5 },
  ],
  intent: { name: "information", confidence: 0.8 },
  sentiment: { label: "neutral", score: 0 },
  proactive_actions: ["Assign this conversation"],
  articles: [{ id: "a1", title: "Pengiriman", score: 0.7 }],
};

const labels = [
  { id: "l1", name: "vip", color: "#aa0000", created_at: "2026-01-01T00:00:00.000Z" },
  { id: "l2", name: "reseller", color: "#0000aa", created_at: "2026-01-01T00:00:00.000Z" },
];

function setup(routes: Record<string, (body: any) => Response | Promise<Response>> = {}, props: { canUpdate?: boolean } = {}) {
  const requests = fakeFetch({
    [`GET ${ws}/conversations/${conversationId}/context`]: () => jsonResponse(context()),
    [`POST ${ws}/ai/suggestions`]: () => jsonResponse(suggestions),
    [`GET ${ws}/ai/settings`]: () => jsonResponse({ engine: "offline", base_url: null, model: null, api_key_set: false }),
    [`GET ${ws}/labels`]: () => jsonResponse({ data: labels }),
    ...routes,
  });
  const scope = { workspaceId, me: { id: "me", name: "Agent" } };
  useInsightsStore().reset(scope);
  useKnowledgeStore().reset(scope);
  const wrapper = mount(ConversationInsights, { props: { conversationId, canUpdate: props.canUpdate ?? true, canSend: true }, attachTo: document.body });
  return { wrapper, requests };
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(now);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("suggested replies", () => {
  it("show a loading state, then up to three replies with their source and the engine that answered", async () => {
    let answer!: (response: Response) => void;
    const { wrapper, requests } = setup({ [`POST ${ws}/ai/suggestions`]: () => new Promise<Response>((resolve) => (answer = resolve)) });
    await flushPromises();
    expect(wrapper.get('[data-testid="suggestions-loading"]').text()).toBe("Finding replies…");
    answer(jsonResponse(suggestions));
    await flushPromises();
    expect(wrapper.find('[data-testid="suggestions-loading"]').exists()).toBe(false);
    expect(requests.find((request) => request.url.endsWith("/ai/suggestions"))!.body).toEqual({ conversation_id: conversationId });
    const items = wrapper.findAll('[data-testid="suggestion"]');
    expect(items.map((item) => item.get('[data-testid="suggestion-text"]').text())).toEqual(suggestions.suggestions.map((reply) => reply.text));
    expect(items.map((item) => item.get('[data-testid="suggestion-source"]').text())).toEqual(["Canned response", "Article", "Past reply"]);
    expect(wrapper.get('[data-testid="suggestion-engine"]').text()).toBe("Answered by the offline engine");
    expect(wrapper.get('[data-testid="suggestions-latest"]').text()).toBe("Latest message: Question, neutral");
    expect(wrapper.get('[data-testid="proactive-actions"]').text()).toBe("Assign this conversation");
  });

  it("hand the chosen reply to the message box (insert), not send it", async () => {
    const { wrapper, requests } = setup();
    await flushPromises();
    await wrapper.findAll('[data-testid="insert-suggestion"]')[1]!.trigger("click");
    expect(wrapper.emitted("insert")).toEqual([["Pengiriman 2–3 hari kerja."]]);
    expect(requests.some((request) => request.method === "POST" && request.url.includes("/messages"))).toBe(false);
  });

  it("are asked again when a customer message arrives (a burst once), and only the figures when the agent replies", async () => {
    const { requests } = setup();
    await flushPromises();
    const asked = () => requests.filter((request) => request.url.endsWith("/ai/suggestions")).length;
    const contexts = () => requests.filter((request) => request.url.endsWith("/context")).length;
    expect([asked(), contexts()]).toEqual([1, 1]);
    const store = useInsightsStore();
    store.messageArrived(conversationId, true);
    store.messageArrived(conversationId, true);
    await vi.runOnlyPendingTimersAsync();
    await flushPromises();
    expect([asked(), contexts()]).toEqual([2, 2]);
    store.messageArrived(conversationId, false);
    await vi.runOnlyPendingTimersAsync();
    await flushPromises();
    expect([asked(), contexts()]).toEqual([2, 3]);
    store.messageArrived("another-conversation", true);
    await vi.runOnlyPendingTimersAsync();
    expect([asked(), contexts()]).toEqual([2, 3]);
  });

  it("are no longer refreshed once the panel has left the conversation", async () => {
    const { wrapper, requests } = setup();
    await flushPromises();
    wrapper.unmount();
    useInsightsStore().messageArrived(conversationId, true);
    await vi.runOnlyPendingTimersAsync();
    expect(requests.filter((request) => request.url.endsWith("/ai/suggestions"))).toHaveLength(1);
  });

  it("say what went wrong when the server refuses", async () => {
    const { wrapper } = setup({
      [`POST ${ws}/ai/suggestions`]: () => jsonResponse({ error: { code: "conversations.not_found", message: "Conversation not found." } }, 404),
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="suggestions"] [role="alert"]').text()).toBe("Conversation not found.");
  });
});

describe("the conversation's figures", () => {
  it("show response times, counts, the customer's history and sentiment trend, and a waiting time that ticks", async () => {
    const { wrapper } = setup();
    await flushPromises();
    expect(wrapper.get('[data-testid="first-response"]').text()).toBe("1 min 30 sec");
    expect(wrapper.get('[data-testid="average-response"]').text()).toBe("2 min 30 sec");
    expect(wrapper.get('[data-testid="message-counts"]').text()).toBe("5 (3 in, 2 out)");
    expect(wrapper.get('[data-testid="interactions"]').text()).toBe("42");
    expect(wrapper.get('[data-testid="sentiment-sparkline"]').attributes("aria-label")).toBe("Sentiment of the last 3 messages, from +0.4 to -0.6");
    expect(wrapper.get('[data-testid="custom-attribute"] dt').text()).toBe("plan");
    expect(wrapper.get('[data-testid="custom-attribute"] dd').text()).toBe("gold");
    expect(wrapper.get('[data-testid="waiting-since"]').text()).toBe("Waiting for 2 min");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(wrapper.get('[data-testid="waiting-since"]').text()).toBe("Waiting for 2 min 5 sec");
  });

  it("are in Indonesian for an Indonesian agent", async () => {
    setLocale("id");
    const { wrapper } = setup();
    await flushPromises();
    expect(wrapper.get('[data-testid="waiting-since"]').text()).toBe("Menunggu 2 mnt");
    expect(wrapper.get('[data-testid="suggestion-engine"]').text()).toBe("Dijawab oleh mesin offline");
    expect(wrapper.get('[data-testid="proactive-actions"]').text()).toBe("Tugaskan percakapan ini");
  });
});

describe("labels", () => {
  it("are added from the catalogue and removed, replacing the conversation's labels", async () => {
    const { wrapper, requests } = setup({
      [`PUT ${ws}/conversations/${conversationId}/labels`]: (body) => jsonResponse({ labels: body.labels }),
    });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="conversation-label"]').map((chip) => chip.text())).toEqual(["vip"]);
    await wrapper.get('[data-testid="add-label"]').setValue("reseller");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "PUT", body: { labels: ["vip", "reseller"] } });
    expect(wrapper.findAll('[data-testid="conversation-label"]').map((chip) => chip.text())).toEqual(["vip", "reseller"]);
    await wrapper.get('[aria-label="Remove label vip"]').trigger("click");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "PUT", body: { labels: ["reseller"] } });
    expect(wrapper.findAll('[data-testid="conversation-label"]').map((chip) => chip.text())).toEqual(["reseller"]);
  });

  it("cannot be changed by a viewer", async () => {
    const { wrapper } = setup({}, { canUpdate: false });
    await flushPromises();
    expect(wrapper.find('[data-testid="add-label"]').exists()).toBe(false);
    expect(wrapper.find('[aria-label="Remove label vip"]').exists()).toBe(false);
  });
});

describe("the AI summary", () => {
  it("is not offered on the offline engine", async () => {
    const { wrapper } = setup();
    await flushPromises();
    expect(wrapper.find('[data-testid="summary"]').exists()).toBe(false);
  });

  it("is offered with an LLM, shows the summary, and hides for good on 409 ai.not_configured", async () => {
    let configured = true;
    const { wrapper } = setup({
      [`GET ${ws}/ai/settings`]: () => jsonResponse({ engine: "llm", base_url: "http://llm.test/v1", model: "m", api_key_set: true }),
      [`POST ${ws}/ai/summary`]: () =>
        configured
          ? jsonResponse({ summary: "Sari asks about shipping to Jakarta.", model: "m" })
          : jsonResponse({ error: { code: "ai.not_configured", message: "No LLM." } }, 409),
    });
    await flushPromises();
    await wrapper.get('[data-testid="summary"] button').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="summary-text"]').text()).toBe("Sari asks about shipping to Jakarta.");
    configured = false;
    await wrapper.get('[data-testid="summary"] button').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="summary"]').exists()).toBe(false);
  });
});
