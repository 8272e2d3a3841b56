/**
 * A local OpenAI-compatible chat-completions server for the LLM engine's tests: answers well,
 * malformed, or late. Requests and answers are typed as the `openai` SDK's own
 * (`ChatCompletionCreateParams`, `ChatCompletion`), so an SDK upgrade that changes either shape
 * breaks the type check of this fake instead of passing against an outdated answer.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";

export type FakeOpenAiMode = "good" | "malformed" | "slow";

/** The server's base URL (`…/v1`), the requests it received, and a switch for how it answers. */
export async function startFakeOpenAi(answer: { suggestions: { text: string }[] }) {
  const state = { mode: "good" as FakeOpenAiMode, received: [] as ChatCompletionCreateParamsNonStreaming[], answered: 0 };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      state.received.push(JSON.parse(body));
      const content = state.mode === "malformed" ? JSON.stringify({ replies: "not the shape" }) : JSON.stringify(answer);
      const completion = {
        id: "c1",
        object: "chat.completion",
        created: 0,
        model: "fake",
        choices: [{ index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content, refusal: null } }],
      } satisfies ChatCompletion;
      const reply = () => {
        state.answered++;
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(completion));
      };
      if (state.mode === "slow") setTimeout(reply, 3000);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
