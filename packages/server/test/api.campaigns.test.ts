/**
 * The campaigns API (issue 10, "Contract"): create, read, edit, delete, the commands and their
 * illegal transitions, audience and message previews, recipients and their CSV; bad input,
 * another workspace's ids and roles that may only read get clear errors and change nothing.
 */
import { describe, expect, it } from "vitest";
import { useCloudApi } from "./cloud-api.ts";
import { campaignsOf, phones, seedContacts } from "./campaigns.ts";
import { workspacePath } from "./parley.ts";

const { parley, fake, cloudWorkspace } = useCloudApi();
const template = { name: "order_ready", language: "en_US", variables: ["{{first_name|Kak}}", "{{order}}"] };

describe("the campaigns API", () => {
  it("creates a draft, previews its audience and message, edits, starts it and lists its recipients", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("api");
    const ids = await seedContacts(parley().database.db, workspace.workspaceId, phones(5, 0, "+62815"), "vip");
    const db = parley().database.db;
    const { sql } = await import("drizzle-orm");
    const [first, second, third] = [...ids.values()];
    await db.execute(sql`update contacts set custom_attributes = '{"order": "A-7"}'::jsonb where workspace_id = ${workspace.workspaceId}`);
    await db.execute(sql`update contacts set opted_out_at = now(), opt_out_source = 'keyword' where id = ${first}`);
    await db.execute(sql`update contacts set blocked = true where id = ${second}`);
    await db.execute(sql`update contacts set custom_attributes = '{}'::jsonb where id = ${third}`);
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const base = `${workspacePath(workspace.workspaceId)}/campaigns`;

    const preview = await parley().api.post(
      `${base}/audience-preview`,
      { inbox_id: workspace.inbox["id"], audience: { labels: ["vip"] }, message: { template } },
      workspace.token,
    );
    expect(preview.body).toEqual({ total: 5, eligible: 2, skipped: { opted_out: 1, blocked: 1, missing_variable: 1 } });
    const one = await parley().api.post(
      `${base}/preview`,
      { inbox_id: workspace.inbox["id"], message: { template }, contact_id: ids.get("+628150000003") },
      workspace.token,
    );
    expect(one.body).toEqual({ text: "Hi Customer, your order A-7 is ready.", template: { ...template, variables: ["Customer", "A-7"] } });

    const created = await campaigns.create({ name: "Draft", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["vip"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "draft", counts: { total: 0 }, schedule_at: null });
    const edited = await parley().api.patch(`${base}/${created.body.id}`, { name: "Promo", pacing: { per_second: 50 } }, workspace.token);
    expect(edited.body).toMatchObject({ name: "Promo", pacing: { per_second: 50 } });
    const listed = await parley().api.get(base, workspace.token);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(created.body.id);

    const started = await campaigns.command(created.body.id, "start");
    expect(started.body.status).toBe("running");
    expect(started.body.counts).toMatchObject({ total: 5, skipped: 2, opted_out: 1 });
    const done = await campaigns.until(created.body.id, (c) => c.status === "completed", 30_000);
    expect(done.counts).toMatchObject({ total: 5, sent: 2, skipped: 3 });
    const skipped = await campaigns.recipients(created.body.id, "?status=skipped");
    expect(skipped.body.data.map((r: { reason: string }) => r.reason).sort()).toEqual(["blocked", "missing_variable", "opted_out"]);
    const page = await campaigns.recipients(created.body.id, "?limit=2");
    expect(page.body.data).toHaveLength(2);
    const next = await campaigns.recipients(created.body.id, `?limit=2&cursor=${page.body.next_cursor}`);
    expect(next.body.data[0].id > page.body.data[1].id).toBe(true);
    const csv = await parley().api.request("GET", `${base}/${created.body.id}/recipients.csv`, { token: workspace.token });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body).trim().split("\r\n")).toHaveLength(6);
    // The chat shows the campaign's message, without reopening or flooding the agents' list.
    const sentTo = fake()
      .sent()
      .map((sent) => sent.body.to);
    expect(sentTo).toContain("628150000003");
    const messages = (await parley().api.get(`${workspacePath(workspace.workspaceId)}/conversations?status=open`, workspace.token)).body.data;
    expect(messages).toEqual([]);
  });

  it("refuses bad input, illegal transitions and the wrong inbox kind, changing nothing", async () => {
    const workspace = await cloudWorkspace("bad");
    const other = await cloudWorkspace("other");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const base = `${workspacePath(workspace.workspaceId)}/campaigns`;
    const valid = { name: "X", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["none"] } };

    expect((await parley().api.request("POST", base, { token: workspace.token, rawBody: "{nope" })).status).toBe(400);
    expect((await campaigns.create({ ...valid, name: "" })).status).toBe(400);
    expect((await campaigns.create({ ...valid, inbox_id: other.inbox["id"] })).status).toBe(404);
    expect((await campaigns.create({ ...valid, inbox_id: "not-an-id" })).status).toBe(404);
    const bodyOnly = await campaigns.create({ ...valid, message: { body: "Hi {{name}}" } });
    expect(bodyOnly.status).toBe(422);
    expect(bodyOnly.body.error.code).toBe("campaigns.invalid_message");
    expect((await campaigns.create({ ...valid, audience: { contact_ids: ["x"] } })).status).toBe(400);
    const widget = await parley().api.createWidgetInbox(workspace.workspaceId, workspace.token);
    expect((await campaigns.create({ ...valid, inbox_id: widget.id })).status).toBe(422);
    expect((await parley().api.get(base, workspace.token)).body.data).toEqual([]);

    const draft = (await campaigns.create(valid)).body;
    const empty = await campaigns.command(draft.id, "start");
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe("campaigns.empty_audience");
    expect((await campaigns.get(draft.id)).body.status).toBe("draft");
    for (const command of ["pause", "resume", "retry-failed"]) {
      const refused = await campaigns.command(draft.id, command);
      expect(refused.status, command).toBe(409);
      expect(refused.body.error.code).toBe("campaigns.invalid_transition");
    }
    expect((await campaigns.command(draft.id, "launch")).status).toBe(400);
    expect((await campaigns.recipients(draft.id, "?cursor=zzz")).status).toBe(400);
    expect((await campaigns.recipients(draft.id, "?status=lost")).status).toBe(400);

    // Another workspace's campaign is not found, by any route.
    const outsider = campaignsOf(parley().api, other.workspaceId, other.token);
    expect((await outsider.get(draft.id)).status).toBe(404);
    expect((await outsider.command(draft.id, "cancel")).status).toBe(404);
    expect((await outsider.recipients(draft.id)).status).toBe(404);
    expect((await parley().api.request("DELETE", `${workspacePath(other.workspaceId)}/campaigns/${draft.id}`, { token: other.token })).status).toBe(404);
    expect((await parley().api.get(`${workspacePath(workspace.workspaceId)}/campaigns/${draft.id}`, other.token)).status).toBe(404);

    expect((await campaigns.command(draft.id, "cancel")).body.status).toBe("cancelled");
    const edit = await parley().api.patch(`${base}/${draft.id}`, { name: "Late" }, workspace.token);
    expect(edit.status).toBe(409);
    expect((await parley().api.request("DELETE", `${base}/${draft.id}`, { token: workspace.token })).status).toBe(409);
    const removable = (await campaigns.create(valid)).body;
    expect((await parley().api.request("DELETE", `${base}/${removable.id}`, { token: workspace.token })).status).toBe(204);
    expect((await campaigns.get(removable.id)).status).toBe(404);
  });

  it("edits a draft with create's validation: another workspace's campaign or inbox is not found, bad input changes nothing", async () => {
    const workspace = await cloudWorkspace("edit");
    const other = await cloudWorkspace("edit-other");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const base = `${workspacePath(workspace.workspaceId)}/campaigns`;
    const draft = (await campaigns.create({ name: "Draft", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["vip"] } })).body;
    const edit = (id: string, body: unknown, token = workspace.token, path = base) => parley().api.request("PATCH", `${path}/${id}`, { token, json: body });

    const moved = await edit(draft.id, { audience: { labels: ["vip", "new"] }, message: { template: { ...template, variables: ["{{name|Kak}}", "B-1"] } } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: "draft", audience: { labels: ["vip", "new"] }, message: { template: { variables: ["{{name|Kak}}", "B-1"] } } });

    // Another workspace: its route, its token or its inbox.
    expect((await edit(draft.id, { name: "Theirs" }, other.token, `${workspacePath(other.workspaceId)}/campaigns`)).status).toBe(404);
    expect((await edit(draft.id, { name: "Theirs" }, other.token)).status).toBe(404);
    expect((await edit(draft.id, { inbox_id: other.inbox["id"] })).status).toBe(404);
    expect((await edit("0190a000-0000-7000-8000-000000000000", { name: "Nobody" })).status).toBe(404);
    // Bad input: refused by the schema (400) or by the campaign's rules (422).
    for (const body of [{ name: "" }, { audience: { contact_ids: ["x"] } }, { pacing: { per_second: 0 } }, { schedule_at: "tomorrow" }]) {
      expect((await edit(draft.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    const textOnCloud = await edit(draft.id, { message: { body: "Hi {{name}}" } });
    expect(textOnCloud.status).toBe(422);
    expect(textOnCloud.body.error.code).toBe("campaigns.invalid_message");
    const widget = await parley().api.createWidgetInbox(workspace.workspaceId, workspace.token);
    expect((await edit(draft.id, { inbox_id: widget.id })).status).toBe(422);
    expect((await campaigns.get(draft.id)).body).toEqual(moved.body);
  });

  it("lets agents read campaigns and their recipients, but not manage them or download the recipients' numbers", async () => {
    const workspace = await cloudWorkspace("roles");
    const email = `agent-${Math.random().toString(36).slice(2)}@example.com`;
    const added = await parley().api.post(
      `${workspacePath(workspace.workspaceId)}/members`,
      { email, role: "agent", name: "Agent", password: "correct horse battery" },
      workspace.token,
    );
    expect(added.status).toBe(201);
    const login = await parley().api.post("/api/v1/auth/login", { email, password: "correct horse battery" });
    const agent = campaignsOf(parley().api, workspace.workspaceId, login.body.token);
    const owner = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const draft = (await owner.create({ name: "X", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["x"] } })).body;
    expect((await agent.get(draft.id)).status).toBe(200);
    expect((await agent.create({ name: "Y", inbox_id: workspace.inbox["id"], message: { template }, audience: {} })).status).toBe(403);
    expect((await agent.command(draft.id, "cancel")).status).toBe(403);
    expect((await owner.get(draft.id)).body.status).toBe("draft");
    expect((await agent.recipients(draft.id, "")).status).toBe(200);
    const csvPath = `${workspacePath(workspace.workspaceId)}/campaigns/${draft.id}/recipients.csv`;
    const refused = await parley().api.request("GET", csvPath, { token: login.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("auth.forbidden");
    expect((await parley().api.request("GET", csvPath, { token: workspace.token })).status).toBe(200);
  });
});
