/** Issue 9, part 1: customer messages are enriched by a background job; agents correct intent and sentiment. */
import { nlpjsIntentEngine } from "../src/ai/nlpjs-intent-engine.ts";
import { systemClock } from "../src/domain/clock.ts";
import { trainIntentClassifier } from "../src/domain/intelligence/intent-classifier.ts";
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { eventually } from "./eventually.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

/** A workspace with a widget visitor who wrote `texts`; resolves once every message is enriched. */
async function conversationWith(label: string, texts: string[]) {
  const { token, workspaceId, userId } = await parley().api.signup(label);
  const inbox = await parley().api.createWidgetInbox(workspaceId, token);
  const visitor = await parley().api.startVisitor(inbox.widget_key);
  for (const [index, body] of texts.entries()) {
    const sent = await parley().api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body, client_message_id: `m-${index}` }, visitor.session_token);
    expect(sent.status).toBeLessThan(300);
  }
  const path = `${workspacePath(workspaceId)}/conversations/${visitor.conversation.id}/messages`;
  const thread = await eventually(
    async () => {
      const { body } = await parley().api.get(path, token);
      return body.data.length === texts.length && body.data.every((message: { enrichment: unknown }) => message.enrichment !== null) && body.data;
    },
    { what: "the messages' enrichment" },
  );
  return { token, workspaceId, userId, conversationId: visitor.conversation.id, path, thread, inbox, visitor };
}

describe("message enrichment", () => {
  it("enriches a customer's message in the background and broadcasts message.enriched", async () => {
    const { workspaceId, conversationId, thread, inbox, visitor } = await conversationWith("enrich", ["Kak, barangnya rusak pas dateng, kecewa banget", "ok"]);
    const [complaint, short] = thread;
    expect(complaint.enrichment).toMatchObject({
      language: "ind",
      sentiment: { label: "negative" },
      intent: { name: "complaint" },
      keywords: expect.arrayContaining(["rusak", "kecewa"]),
    });
    expect(complaint.enrichment.sentiment.score).toBeLessThan(0);
    expect(["low", "normal", "high"]).toContain(complaint.enrichment.urgency);
    // Too short to tell: the contact's last language.
    expect(short.enrichment.language).toBe("ind");
    const event = await eventually(() => parley().published.find((published) => published.type === "message.enriched" && published.messageId === complaint.id));
    expect(event).toMatchObject({ workspaceId, conversationId, enrichment: { intent: { name: "complaint" } } });
    // What Parley infers about a customer is for agents: the visitor's own history never carries it.
    const own = await parley().api.get(`/api/v1/widget/${inbox.widget_key}/messages`, visitor.session_token);
    expect(own.body.data.map((message: { enrichment: unknown }) => message.enrichment)).toEqual([null, null]);
  });

  it("records an agent's correction and shows it in place of the computed values", async () => {
    const { token, workspaceId, path, thread } = await conversationWith("correct", ["How much is the blue hoodie?"]);
    const message = thread[0];
    expect(message.enrichment.intent.name).toBe("purchase");
    const url = `${workspacePath(workspaceId)}/messages/${message.id}/enrichment`;
    const corrected = await parley().api.patch(url, { intent: "information", sentiment: "positive" }, token);
    expect(corrected.status).toBe(200);
    expect(corrected.body.enrichment).toMatchObject({ language: "eng", intent: { name: "information", confidence: 1 }, sentiment: { label: "positive" } });
    expect(corrected.body.enrichment.sentiment.score).toBeGreaterThan(0);
    const reread = (await parley().api.get(path, token)).body.data[0];
    expect(reread.enrichment).toEqual(corrected.body.enrichment);
    expect(
      parley().published.some((event) => event.type === "message.enriched" && event.messageId === message.id && event.enrichment.intent.name === "information"),
    ).toBe(true);

    // A second correction of the sentiment alone keeps the corrected intent.
    const again = await parley().api.patch(url, { sentiment: "neutral" }, token);
    expect(again.body.enrichment).toMatchObject({ intent: { name: "information" }, sentiment: { label: "neutral", score: 0 } });
  });

  it("refuses bad corrections and another workspace's message, changing nothing", async () => {
    const { token, workspaceId, path, thread } = await conversationWith("refuse", ["Thanks so much, the cake was amazing!"]);
    const message = thread[0];
    const url = `${workspacePath(workspaceId)}/messages/${message.id}/enrichment`;
    for (const body of [{ intent: "shopping" }, { sentiment: "angry" }, {}, { intent: "purchase", extra: 1 }]) {
      const response = await parley().api.patch(url, body, token);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const stranger = await parley().api.signup("stranger");
    const foreign = await parley().api.patch(
      `${workspacePath(stranger.workspaceId)}/messages/${message.id}/enrichment`,
      { intent: "complaint" },
      stranger.token,
    );
    expect(foreign.status).toBe(404);
    expect((await parley().api.patch(`${workspacePath(workspaceId)}/messages/not-a-uuid/enrichment`, { intent: "complaint" }, token)).status).toBe(404);
    const unchanged = (await parley().api.get(path, token)).body.data[0];
    expect(unchanged.enrichment).toEqual(message.enrichment);
    expect(unchanged.enrichment.intent.name).toBe("compliment");
  });

  it("re-enriches a workspace's messages by a job and keeps agents' corrections", async () => {
    const { token, workspaceId, path, thread } = await conversationWith("reenrich", ["The app keeps crashing when I open it", "Where is your shop located?"]);
    const [crash, where] = thread;
    await parley().api.patch(`${workspacePath(workspaceId)}/messages/${crash.id}/enrichment`, { intent: "complaint" }, token);
    const before = parley().published.filter((event) => event.type === "message.enriched").length;
    await parley().store.jobs.schedule("messages.reenrich", { workspaceId });
    await eventually(() => parley().published.filter((event) => event.type === "message.enriched").length >= before + 2, { what: "re-enrichment" });
    const [crashAfter, whereAfter] = (await parley().api.get(path, token)).body.data;
    expect(crashAfter.enrichment.intent).toEqual({ name: "complaint", confidence: 1 });
    expect(whereAfter.enrichment).toEqual(where.enrichment);
  });
});

describe("a workspace's own intent classifier", () => {
  // A motorbike workshop whose customers book service slots in words the keyword rules read as
  // questions; its agents correct them to purchase (and a few complaints), and Parley learns.
  const bookings = [
    "slot servis sabtu pagi masih kosong?",
    "antrian servis besok jam 9 bisa?",
    "mau masukin motor buat tune up kamis",
    "booking slot servis jumat",
    "jadwal servis rabu sore kosong gak",
    "kalau servis karburator hari selasa bisa?",
    "tune up hari jumat sore masih bisa kak?",
    "can I get a service slot on friday?",
  ];
  const complaints = ["rem masih bunyi habis servis kemarin", "motor mogok lagi padahal baru diservis", "oli rembes setelah ganti oli di sini"];
  const unseen = "slot servis hari minggu masih kosong?";

  it("is trained on agents' intent corrections and then decides new messages the rules misread; other workspaces keep the rules", async () => {
    const workshop = await conversationWith("workshop", [...bookings, ...complaints]);
    const classifierPath = `${workspacePath(workshop.workspaceId)}/ai/classifier`;
    expect((await parley().api.get(classifierPath, workshop.token)).body).toMatchObject({ trained: false, examples: 0, minimum_examples: 10 });

    const intentOf = new Map([...bookings.map((text) => [text, "purchase"] as const), ...complaints.map((text) => [text, "complaint"] as const)]);
    for (const message of workshop.thread) {
      const corrected = await parley().api.patch(
        `${workspacePath(workshop.workspaceId)}/messages/${message.id}/enrichment`,
        { intent: intentOf.get(message.body) },
        workshop.token,
      );
      expect(corrected.status).toBe(200);
    }
    const classifier = await eventually(
      async () => {
        const { body } = await parley().api.get(classifierPath, workshop.token);
        return body.trained && body.examples === bookings.length + complaints.length && body;
      },
      { what: "the workshop's classifier trained on its 11 corrections" },
    );
    expect(classifier.intents).toEqual(["complaint", "purchase"]);

    // Before any training, the rules read this booking as a question.
    const elsewhere = await conversationWith("no-corrections", [unseen]);
    expect(elsewhere.thread[0].enrichment.intent.name).toBe("information");

    const visitor = await parley().api.post(
      `/api/v1/widget/${workshop.inbox.widget_key}/messages`,
      { body: unseen, client_message_id: "unseen" },
      workshop.visitor.session_token,
    );
    expect(visitor.status).toBeLessThan(300);
    const learnt = await eventually(
      async () => {
        const { body } = await parley().api.get(workshop.path, workshop.token);
        const message = body.data.find((candidate: { body: string }) => candidate.body === unseen);
        return message?.enrichment && message;
      },
      { what: "the new message's enrichment" },
    );
    expect(learnt.enrichment.intent.name).toBe("purchase");
    expect(learnt.enrichment.intent.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it("stays untrained with fewer than ten corrections", async () => {
    const small = await conversationWith("few-corrections", bookings.slice(0, 4));
    for (const message of small.thread) {
      await parley().api.patch(`${workspacePath(small.workspaceId)}/messages/${message.id}/enrichment`, { intent: "purchase" }, small.token);
    }
    // What the training job does, run here so the test knows it has run.
    const outcome = await trainIntentClassifier({ store: parley().store, engine: nlpjsIntentEngine, clock: systemClock }, small.workspaceId);
    expect(outcome).toEqual({ outcome: "removed", examples: 4 });
    const { body } = await parley().api.get(`${workspacePath(small.workspaceId)}/ai/classifier`, small.token);
    expect(body).toMatchObject({ trained: false, examples: 0 });
  });
});
