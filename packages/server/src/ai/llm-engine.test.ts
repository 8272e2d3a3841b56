/** The LLM engine against a local fake OpenAI-compatible server, behind the offline fallback. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fallbackEngine } from "../domain/suggestions/fallback-engine.ts";
import type { SuggestionEngine, SuggestionRequest } from "../domain/suggestions/suggestions.ts";
import { startFakeOpenAi } from "../../test/fake-openai.ts";
import { llmEngine } from "./llm-engine.ts";

let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
let baseUrl: string;

beforeAll(async () => {
  fake = await startFakeOpenAi({ suggestions: [{ text: "Ongkirnya Rp10.000 ya kak." }, { text: "Sampai 1–2 hari." }] });
  baseUrl = fake.baseUrl;
});
afterAll(() => fake.close());

const offline: SuggestionEngine = {
  suggest: async () => ({
    engine: "offline",
    suggestions: [{ text: "Ongkos kirim ke Jabodetabek Rp10.000.", source: { type: "canned_response", id: "c-1" }, score: 1 }],
    articles: [{ id: "a-1", title: "Pengiriman", score: 0.5 }],
  }),
};
const request: SuggestionRequest = {
  workspaceId: "w",
  conversationId: "c",
  customerText: "ongkir ke bekasi brp kak?",
  language: null,
  contact: { name: "Dewi", phone: null },
  agent: { name: "Agent" },
};
const engine = (timeoutMs: number) =>
  fallbackEngine(llmEngine({ baseUrl, model: "fake-model", apiKey: "sk-test", timeoutMs }, offline), offline, { timeoutMs });

describe("LLM suggestions", () => {
  it("use the model's structured answer, with the retrieved snippets and the customer's message as context", async () => {
    fake.state.mode = "good";
    const answer = await engine(2000).suggest(request);
    expect(answer).toEqual({
      engine: "llm",
      suggestions: [
        { text: "Ongkirnya Rp10.000 ya kak.", source: { type: "llm" }, score: 1 },
        { text: "Sampai 1–2 hari.", source: { type: "llm" }, score: 0.9 },
      ],
      articles: [{ id: "a-1", title: "Pengiriman", score: 0.5 }],
    });
    const sent = fake.state.received[fake.state.received.length - 1]!;
    expect(sent.model).toBe("fake-model");
    expect(sent.messages[0]!.content).toContain("customer's language");
    expect(sent.messages[1]!.content).toContain("Ongkos kirim ke Jabodetabek Rp10.000.");
    expect(sent.messages[1]!.content).toContain("ongkir ke bekasi brp kak?");
  });

  it("reject a malformed answer and answer offline", async () => {
    fake.state.mode = "malformed";
    const answer = await engine(2000).suggest(request);
    expect(answer.engine).toBe("offline");
    expect(answer.suggestions[0]!.source).toEqual({ type: "canned_response", id: "c-1" });
  });

  it("answer offline at the timeout when the model is slow, before the model answers, without retrying", async () => {
    fake.state.mode = "slow";
    const before = fake.state.received.length;
    const answeredBefore = fake.state.answered;
    const answer = await engine(300).suggest(request);
    expect(answer.engine).toBe("offline");
    // The fake model answers 3 s after the request: the agent was not kept waiting for it.
    expect(fake.state.answered).toBe(answeredBefore);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.state.received.length - before).toBe(1);
  });
});
