/** The LLM engine against a local fake OpenAI-compatible server, behind the offline fallback. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fallbackEngine } from "../domain/suggestions/fallback-engine.ts";
import type { SuggestionEngine, SuggestionRequest } from "../domain/suggestions/suggestions.ts";
import { llmEngine } from "./llm-engine.ts";

let mode: "good" | "malformed" | "slow" = "good";
const received: { model: string; messages: { role: string; content: string }[] }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push(JSON.parse(body));
      const content =
        mode === "malformed"
          ? JSON.stringify({ replies: "not the shape" })
          : JSON.stringify({ suggestions: [{ text: "Ongkirnya Rp10.000 ya kak." }, { text: "Sampai 1–2 hari." }] });
      const reply = () => {
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            id: "c1",
            object: "chat.completion",
            created: 0,
            model: "fake",
            choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
          }),
        );
      };
      if (mode === "slow") setTimeout(reply, 3000);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

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
    mode = "good";
    const answer = await engine(2000).suggest(request);
    expect(answer).toEqual({
      engine: "llm",
      suggestions: [
        { text: "Ongkirnya Rp10.000 ya kak.", source: { type: "llm" }, score: 1 },
        { text: "Sampai 1–2 hari.", source: { type: "llm" }, score: 0.9 },
      ],
      articles: [{ id: "a-1", title: "Pengiriman", score: 0.5 }],
    });
    const sent = received[received.length - 1]!;
    expect(sent.model).toBe("fake-model");
    expect(sent.messages[0]!.content).toContain("customer's language");
    expect(sent.messages[1]!.content).toContain("Ongkos kirim ke Jabodetabek Rp10.000.");
    expect(sent.messages[1]!.content).toContain("ongkir ke bekasi brp kak?");
  });

  it("reject a malformed answer and answer offline", async () => {
    mode = "malformed";
    const answer = await engine(2000).suggest(request);
    expect(answer.engine).toBe("offline");
    expect(answer.suggestions[0]!.source).toEqual({ type: "canned_response", id: "c-1" });
  });

  it("answer offline within 100 ms past the timeout when the model is slow, without retrying", async () => {
    mode = "slow";
    const before = received.length;
    const started = performance.now();
    const answer = await engine(300).suggest(request);
    const elapsed = performance.now() - started;
    expect(answer.engine).toBe("offline");
    expect(elapsed).toBeLessThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.length - before).toBe(1);
  });
});
