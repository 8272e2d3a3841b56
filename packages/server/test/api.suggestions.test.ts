/** Reply suggestions from the offline engine: a seeded FAQ set, past replies, variables, bad input. */
import { suggestionsSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { faqArticles, faqCanned, faqQuestions } from "./fixtures-faq.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

/** A workspace with the FAQ set and a widget inbox; `ask` opens a conversation with one customer message. */
async function faqWorkspace(label: string) {
  const { api } = parley();
  const { token, workspaceId } = await api.signup(label);
  const inbox = await api.createWidgetInbox(workspaceId, token);
  const ids = new Map<string, string>();
  for (const canned of faqCanned) ids.set((await api.post(`${ws(workspaceId)}/canned-responses`, canned, token)).body.id, canned.shortcode);
  for (const article of faqArticles) ids.set((await api.post(`${ws(workspaceId)}/articles`, article, token)).body.id, article.title);
  let asked = 0;
  const ask = async (question: string, name = "Dewi") => {
    const visitor = await api.startVisitor(inbox.widget_key, { name });
    await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: question, client_message_id: `q${asked++}` }, visitor.session_token);
    return visitor.conversation.id as string;
  };
  const suggest = (conversationId: string) => api.post(`${ws(workspaceId)}/ai/suggestions`, { conversation_id: conversationId }, token);
  return { api, token, workspaceId, ids, ask, suggest };
}

describe("offline suggestions", () => {
  it("put the matching canned response or article in the top 3 for at least 70 % of a seeded FAQ set", async () => {
    const { ids, ask, suggest } = await faqWorkspace("faq");
    const misses: string[] = [];
    const timings: number[] = [];
    for (const [question, expected] of faqQuestions) {
      const conversationId = await ask(question);
      const started = performance.now();
      const answer = await suggest(conversationId);
      timings.push(performance.now() - started);
      expect(answer.status).toBe(200);
      expect(suggestionsSchema.parse(answer.body)).toEqual(answer.body);
      expect(answer.body.engine).toBe("offline");
      const top3 = answer.body.suggestions.slice(0, 3).map((s: { source: { id?: string } }) => ids.get(s.source.id ?? ""));
      if (!top3.includes(expected)) misses.push(`${question} → ${top3.join(", ") || "nothing"} (wanted ${expected})`);
    }
    const hitRate = 1 - misses.length / faqQuestions.length;
    timings.sort((a, b) => a - b);
    const p95 = timings[Math.ceil(timings.length * 0.95) - 1]!;
    console.log(
      `FAQ top-3 hit rate ${(hitRate * 100).toFixed(0)} % (${faqQuestions.length - misses.length}/${faqQuestions.length}); request p95 ${p95.toFixed(1)} ms`,
    );
    if (misses.length > 0) console.log(`misses:\n  ${misses.join("\n  ")}`);
    expect(hitRate).toBeGreaterThanOrEqual(0.7);
  });

  it("fill the contact's name, offer agents' past replies to similar questions, and never repeat a text", async () => {
    const { api, token, workspaceId, ask, suggest } = await faqWorkspace("faq-past");
    const earlier = await ask("apakah bisa kirim pakai gojek instan?");
    await api.post(
      `${ws(workspaceId)}/conversations/${earlier}/messages`,
      { body: "Bisa kak, pengiriman instan lewat Gojek untuk area Jakarta.", client_message_id: "a1" },
      token,
    );
    const now = await ask("kak bisa kirim gojek instan gk", "Rina");
    const body = (await suggest(now)).body;
    expect(body.suggestions.map((s: { source: { type: string } }) => s.source.type)).toContain("past_reply");
    expect(body.suggestions.find((s: { source: { type: string } }) => s.source.type === "past_reply").text).toBe(
      "Bisa kak, pengiriman instan lewat Gojek untuk area Jakarta.",
    );

    const shipping = (await suggest(await ask("ongkir ke bekasi brp", "Rina Wati"))).body;
    expect(shipping.suggestions[0]).toMatchObject({
      text: "Halo kak Rina Wati, ongkos kirim ke Jabodetabek Rp10.000, luar Jawa mulai Rp25.000.",
      source: { type: "canned_response" },
      score: 1,
    });
    const texts = shipping.suggestions.map((s: { text: string }) => s.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(shipping.proactive_actions).toContain("Assign this conversation");

    const cod = (await suggest(await ask("bisa COD di Bandung?"))).body;
    expect(cod.articles[0]).toMatchObject({ title: "Pembayaran COD" });
  });

  it("answer nothing for a greeting, and refuse a foreign or malformed conversation", async () => {
    const { api, ask, suggest, workspaceId, token } = await faqWorkspace("faq-empty");
    const hello = (await suggest(await ask("halo kak"))).body;
    // Nothing to suggest for a greeting, whatever the enrichment job made of it meanwhile.
    expect(hello).toMatchObject({ engine: "offline", suggestions: [], articles: [] });
    expect([null, "general", "compliment"]).toContain(hello.intent?.name ?? null);
    const other = await api.signup("faq-foreign");
    const foreignConversation = await ask("ongkir brp");
    const foreign = await api.post(`${ws(other.workspaceId)}/ai/suggestions`, { conversation_id: foreignConversation }, other.token);
    expect(foreign.status).toBe(404);
    expect((await api.post(`${ws(workspaceId)}/ai/suggestions`, {}, token)).status).toBe(400);
  });
});
