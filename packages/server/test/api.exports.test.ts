/** Dataset export: formats line by line, redaction, filters, permissions and bad input (through inject(), no port). */
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startConversationExport } from "../src/domain/exports/exports.usecases.ts";
import { headersOf, useTestApp } from "./app.ts";
import { seedConversation, seedInbox } from "./export-fixture.ts";
import { workspacePath } from "./parley.ts";

const parley = useTestApp();

const isoTime = z.iso.datetime();
const nativeLine = z.strictObject({
  id: z.uuid(),
  inbox: z.strictObject({ id: z.uuid(), name: z.string() }),
  kind: z.enum(["private", "group"]),
  contact: z.strictObject({ name: z.string().nullable() }),
  status: z.enum(["open", "pending", "resolved"]),
  created_at: isoTime,
  last_message_at: isoTime.nullable(),
  first_response_seconds: z.number().int().nonnegative().nullable(),
  messages: z
    .array(
      z.strictObject({
        id: z.uuid(),
        direction: z.enum(["inbound", "outbound"]),
        sender_type: z.enum(["agent", "contact", "system"]),
        type: z.string(),
        text: z.string().nullable(),
        created_at: isoTime,
        response_seconds: z.number().int().nonnegative().nullable(),
        sentiment: z.strictObject({ label: z.enum(["negative", "neutral", "positive"]), score: z.number().min(-1).max(1) }).nullable(),
        intent: z.strictObject({ name: z.string(), confidence: z.number().nullable() }).nullable(),
      }),
    )
    .min(1),
});
const openaiLine = z.strictObject({
  messages: z.array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string().min(1) })).min(3),
});
const sharegptLine = z.strictObject({ conversations: z.array(z.strictObject({ from: z.enum(["human", "gpt"]), value: z.string().min(1) })).min(2) });

/** The body's lines, each parsed by `schema` (a line that fails throws, naming its number). */
function linesOf<T>(text: string, schema: z.ZodType<T>): T[] {
  expect(text.endsWith("\n") || text === "").toBe(true);
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`line ${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

const phones = ["0812-3456-7890", "+62 812 3456 7890", "6281298765432", "+1 415 555 2671", "+44 20 7946 0958", "(021) 5550 1234"];
const emails = ["budi.s@example.co.id", "alice@example.com"];
const digitsOf = (text: string) => text.replace(/\D/g, "");

let owner: { token: string; userId: string; workspaceId: string };
let inboxA: string;
let inboxB: string;
const ids: Record<string, string> = {};
const exportPath = (query = "") => `${workspacePath(owner.workspaceId)}/exports/conversations.jsonl${query}`;
/** The export's reply: `body` is the raw text when it is not one JSON error document. */
async function get(query: string, token: string | undefined = owner.token, path = exportPath(query)) {
  const response = await parley().app.inject({ method: "GET", url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const isError = response.statusCode !== 200;
  return { status: response.statusCode, headers: headersOf(response.headers), body: (isError ? response.json() : response.body) as any };
}

beforeAll(async () => {
  owner = await parley().api.signup("exporter");
  const db = parley().database.db;
  inboxA = await seedInbox(db, owner.workspaceId, "Website");
  inboxB = await seedInbox(db, owner.workspaceId, "Toko");
  const base = { workspaceId: owner.workspaceId };
  ids["budi"] = await seedConversation(db, {
    ...base,
    inboxId: inboxA,
    contactName: "Budi Santoso",
    status: "resolved",
    start: new Date("2025-11-10T09:00:00Z"),
    messages: [
      { from: "customer", body: "halo kak, saya Budi Santoso. nomor saya 0812-3456-7890", at: 0 },
      { from: "customer", body: "email budi.s@example.co.id ya, kantor (021) 5550 1234", at: 30 },
      { from: "system", body: "Assigned to Sari", at: 40 },
      { from: "agent", body: "Baik kak Budi, kami hubungi ke +62 812 3456 7890", at: 90, sentiment: 0.4 },
      { from: "customer", body: "wa saya juga 6281298765432, makasih banyak", at: 200, sentiment: 0.7, intent: "compliment" },
      { from: "agent", body: "sama-sama kak!", at: 260 },
    ],
  });
  ids["alice"] = await seedConversation(db, {
    ...base,
    inboxId: inboxA,
    contactName: "Alice",
    start: new Date("2025-11-12T15:00:00Z"),
    messages: [
      { from: "agent", body: "Hi! Your order shipped.", at: 0 },
      { from: "customer", body: "Call me at +1 415 555 2671 or +44 20 7946 0958, mail alice@example.com", at: 10, sentiment: -0.3, intent: "support" },
      { from: "agent", body: "Sure Alice, calling now.", at: 70 },
      { from: "customer", body: "thanks", at: 80 },
    ],
  });
  ids["citra"] = await seedConversation(db, {
    ...base,
    inboxId: inboxB,
    contactName: "Citra",
    status: "pending",
    start: new Date("2025-11-20T08:00:00Z"),
    messages: [{ from: "customer", body: "halo? brp harganya gan", at: 0 }],
  });
  ids["december"] = await seedConversation(db, {
    ...base,
    inboxId: inboxA,
    contactName: null,
    start: new Date("2025-12-05T08:00:00Z"),
    messages: [
      { from: "customer", body: "stok masih ada?", at: 0 },
      { from: "agent", body: "masih kak", at: 5 },
    ],
  });
  ids["empty"] = await seedConversation(db, { ...base, inboxId: inboxA, contactName: "Nobody", start: new Date("2025-11-15T08:00:00Z"), messages: [] });
});

describe("dataset export formats", () => {
  it("native: one valid line per conversation with messages, with response times, sentiment, intent and final status", async () => {
    const response = await get("?format=native");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="conversations-native.jsonl"');
    const lines = linesOf(response.body as string, nativeLine);
    expect(lines.map((line) => line.id)).toEqual([ids["budi"], ids["alice"], ids["citra"], ids["december"]]);
    const budi = lines[0]!;
    expect(budi).toMatchObject({ status: "resolved", contact: { name: "[NAME]" }, inbox: { id: inboxA, name: "Website" }, first_response_seconds: 90 });
    expect(budi.messages.map((message) => message.response_seconds)).toEqual([null, null, null, 90, null, 60]);
    expect(budi.messages[4]).toMatchObject({
      sentiment: { label: "positive", score: expect.closeTo(0.7, 5) },
      intent: { name: "compliment", confidence: null },
    });
    expect(budi.messages[0]!.text).toBe("halo kak, saya [NAME]. nomor saya [PHONE]");
    expect(budi.messages[3]!.text).toBe("Baik kak Budi, kami hubungi ke [PHONE]");
    // Alice's first reply answers the customer at +10 s, 60 s later; the greeting answered nobody.
    expect(lines[1]!.messages.map((message) => message.response_seconds)).toEqual([null, null, 60, null]);
    expect(lines[1]!.messages[1]!.sentiment).toEqual({ label: "negative", score: expect.closeTo(-0.3, 5) });
    expect(lines[2]).toMatchObject({ status: "pending", first_response_seconds: null, contact: { name: "[NAME]" } });
    expect(lines[3]!.contact.name).toBeNull();
  });

  it("openai: customer and agent bursts merged into one turn each, unanswered conversations skipped", async () => {
    const response = await get("?format=openai");
    expect(response.status).toBe(200);
    const lines = linesOf(response.body as string, openaiLine);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user", "assistant"]);
    expect(lines[0]!.messages[0]!.content).toContain("exporter Inc");
    expect(lines[0]!.messages[1]!.content).toBe("halo kak, saya [NAME]. nomor saya [PHONE]\nemail [EMAIL] ya, kantor [PHONE]");
    // Alice's: the opening agent greeting and the trailing "thanks" are not training pairs.
    expect(lines[1]!.messages.slice(1)).toEqual([
      { role: "user", content: "Call me at [PHONE] or [PHONE], mail [EMAIL]" },
      { role: "assistant", content: "Sure [NAME], calling now." },
    ]);
  });

  it("sharegpt: human and gpt turns", async () => {
    const response = await get("?format=sharegpt");
    expect(response.status).toBe(200);
    const lines = linesOf(response.body as string, sharegptLine);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.conversations.map((turn) => turn.from)).toEqual(["human", "gpt", "human", "gpt"]);
    expect(lines[2]!.conversations).toEqual([
      { from: "human", value: "stok masih ada?" },
      { from: "gpt", value: "masih kak" },
    ]);
  });
});

describe("redaction", () => {
  it("leaves no phone number or e-mail address of the fixture in any format", async () => {
    for (const format of ["native", "openai", "sharegpt"]) {
      const text = (await get(`?format=${format}`)).body as string;
      for (const email of emails) expect(text, format).not.toContain(email);
      expect(text).not.toContain("@");
      const digits = digitsOf(text);
      for (const phone of phones) expect(digits, `${format}: ${phone}`).not.toContain(digitsOf(phone).slice(-8));
      expect(text).not.toContain("Santoso");
    }
  });

  it("redact=false keeps the texts and names as written (owners and admins)", async () => {
    const text = (await get("?format=native&redact=false")).body as string;
    const [budi] = linesOf(text, nativeLine);
    expect(budi!.contact.name).toBe("Budi Santoso");
    expect(budi!.messages[1]!.text).toBe("email budi.s@example.co.id ya, kantor (021) 5550 1234");
  });
});

describe("filters", () => {
  it("from/to keep the messages in the range and the conversations that have one", async () => {
    const lines = linesOf((await get("?from=2025-11-01&to=2025-12-01")).body as string, nativeLine);
    expect(lines.map((line) => line.id)).toEqual([ids["budi"], ids["alice"], ids["citra"]]);
    const narrow = linesOf((await get(`?from=${encodeURIComponent("2025-11-10T09:01:00+00:00")}&to=2025-11-10T09:03:00Z`)).body as string, nativeLine);
    expect(narrow.map((line) => line.id)).toEqual([ids["budi"]]);
    expect(narrow[0]!.messages.map((message) => message.text)).toEqual(["Baik kak Budi, kami hubungi ke [PHONE]"]);
    expect(linesOf((await get("?from=2025-12-01")).body as string, nativeLine).map((line) => line.id)).toEqual([ids["december"]]);
  });

  it("inbox_id keeps that inbox's conversations; another workspace's inbox is 404", async () => {
    expect(linesOf((await get(`?inbox_id=${inboxB}`)).body as string, nativeLine).map((line) => line.id)).toEqual([ids["citra"]]);
    const other = await parley().api.signup("other");
    const foreignInbox = await seedInbox(parley().database.db, other.workspaceId);
    const response = await get(`?inbox_id=${foreignInbox}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "inboxes.not_found" } });
  });

  it("another workspace's conversations never appear", async () => {
    const other = await parley().api.signup("neighbour");
    const inbox = await seedInbox(parley().database.db, other.workspaceId);
    const foreign = await seedConversation(parley().database.db, {
      workspaceId: other.workspaceId,
      inboxId: inbox,
      contactName: "Eve",
      start: new Date("2025-11-11T00:00:00Z"),
      messages: [
        { from: "customer", body: "secret", at: 0 },
        { from: "agent", body: "ok", at: 1 },
      ],
    });
    const text = (await get("?format=native")).body as string;
    expect(text).not.toContain(foreign);
    const theirs = linesOf((await get("", other.token, `${workspacePath(other.workspaceId)}/exports/conversations.jsonl`)).body as string, nativeLine);
    expect(theirs.map((line) => line.id)).toEqual([foreign]);
  });
});

describe("permissions and bad input", () => {
  const member = async (role: string) => {
    const email = `${role}-${Math.random().toString(36).slice(2)}@example.com`;
    const added = await parley().api.post(
      `${workspacePath(owner.workspaceId)}/members`,
      { email, role, name: role, password: "long enough pass" },
      owner.token,
    );
    expect(added.status).toBe(201);
    const login = await parley().api.post("/api/v1/auth/login", { email, password: "long enough pass" });
    return login.body.token as string;
  };

  it("owners and admins export; agents and viewers get 403; strangers 404; no token 401", async () => {
    expect((await get("", await member("admin"))).status).toBe(200);
    expect((await get("?redact=false", await member("admin"))).status).toBe(200);
    for (const role of ["agent", "viewer"]) {
      const response = await get("", await member(role));
      expect(response.status, role).toBe(403);
      expect(response.body).toMatchObject({ error: { code: "auth.forbidden" } });
    }
    const stranger = await parley().api.signup("stranger");
    expect((await get("", stranger.token)).status).toBe(404);
    expect((await get("", "")).status).toBe(401);
  });

  it("is described in the OpenAPI document with its query", async () => {
    const docs = (await parley().app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const operation = docs.paths["/api/v1/workspaces/{workspace_id}/exports/conversations.jsonl"].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(["format", "from", "to", "inbox_id", "redact"]),
    );
  });

  it("answers 400 with the field at fault to a bad format, date, range, inbox id or redact flag", async () => {
    const cases: [string, string][] = [
      ["?format=csv", "format"],
      ["?from=yesterday", "from"],
      ["?to=2025-13-40", "to"],
      ["?from=2025-12-01&to=2025-11-01", "from"],
      ["?from=2025-11-01&to=2025-11-01", "from"],
      ["?inbox_id=abc", "inbox_id"],
      ["?redact=maybe", "redact"],
    ];
    for (const [query, field] of cases) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({ error: { field } });
    }
  });
});

describe("paging", () => {
  it("gives the same lines one conversation per page as in one page, including pages the range empties", async () => {
    const whole = (await get("?format=native&from=2025-11-01&to=2025-12-01")).body as string;
    const membership = await parley().store.members.find(owner.workspaceId, owner.userId);
    const chunks: string[] = [];
    const lines = await startConversationExport({ store: parley().store, pageSize: 1 }, membership!, {
      format: "native",
      redact: true,
      from: new Date("2025-11-01T00:00:00Z"),
      to: new Date("2025-12-01T00:00:00Z"),
    });
    for await (const chunk of lines) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    expect(chunks.join("")).toBe(whole);
  });
});
