/** Canned responses, labels (catalogue, on conversations and contacts, list filter) and articles over the API. */
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

describe("canned responses", () => {
  it("are created, listed by shortcode, searched, changed and deleted; shortcodes are unique per workspace", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("canned");
    const base = `${ws(workspaceId)}/canned-responses`;
    const created = await api.post(base, { shortcode: "/Greeting", content: "Halo kak {{contact.name}}, ada yang bisa dibantu?" }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ shortcode: "greeting", content: "Halo kak {{contact.name}}, ada yang bisa dibantu?" });
    await api.post(base, { shortcode: "ongkir", content: "Ongkir ke Jakarta Rp10.000." }, token);

    const duplicate = await api.post(base, { shortcode: "greeting", content: "other" }, token);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: "canned.shortcode_taken", field: "shortcode" });
    const invalid = await api.post(base, { shortcode: "no spaces!", content: "x" }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("canned.invalid_shortcode");
    expect((await api.post(base, { shortcode: "empty", content: "   " }, token)).status).toBe(400);

    expect((await api.get(base, token)).body.data.map((c: { shortcode: string }) => c.shortcode)).toEqual(["greeting", "ongkir"]);
    expect((await api.get(`${base}?q=/ong`, token)).body.data.map((c: { shortcode: string }) => c.shortcode)).toEqual(["ongkir"]);
    expect((await api.get(`${base}?q=jakarta`, token)).body.data.map((c: { shortcode: string }) => c.shortcode)).toEqual(["ongkir"]);

    const renamed = await api.patch(`${base}/${created.body.id}`, { shortcode: "hi" }, token);
    expect(renamed.body).toMatchObject({ shortcode: "hi", content: created.body.content });
    // Renaming onto a taken shortcode changes nothing.
    expect((await api.patch(`${base}/${created.body.id}`, { shortcode: "ongkir" }, token)).status).toBe(409);
    expect((await api.get(`${base}/${created.body.id}`, token)).body.shortcode).toBe("hi");

    expect((await api.request("DELETE", `${base}/${created.body.id}`, { token })).status).toBe(204);
    expect((await api.get(`${base}/${created.body.id}`, token)).status).toBe(404);
    expect((await api.request("DELETE", `${base}/${created.body.id}`, { token })).body.error.code).toBe("canned.not_found");

    // Another workspace neither sees them nor collides with their shortcodes.
    const other = await api.signup("canned-other");
    expect((await api.get(`${ws(other.workspaceId)}/canned-responses`, other.token)).body.data).toEqual([]);
    expect((await api.post(`${ws(other.workspaceId)}/canned-responses`, { shortcode: "ongkir", content: "x" }, other.token)).status).toBe(201);
  });
});

describe("labels", () => {
  it("label conversations and contacts from the catalogue, filter the list, and follow renames and deletes", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("labels");
    const inbox = await api.createWidgetInbox(workspaceId, token);
    const visitors = [];
    for (const name of ["Ani", "Budi"]) {
      const visitor = await api.startVisitor(inbox.widget_key, { name });
      await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `hi from ${name}`, client_message_id: name }, visitor.session_token);
      visitors.push(visitor);
    }
    const [ani, budi] = visitors as [(typeof visitors)[number], (typeof visitors)[number]];
    const vip = await api.post(`${ws(workspaceId)}/labels`, { name: " VIP ", color: "#ff0000" }, token);
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ name: "VIP", color: "#ff0000" });
    await api.post(`${ws(workspaceId)}/labels`, { name: "refund" }, token);
    expect((await api.post(`${ws(workspaceId)}/labels`, { name: "VIP" }, token)).body.error.code).toBe("labels.name_taken");
    expect((await api.post(`${ws(workspaceId)}/labels`, { name: "a,b" }, token)).body.error.code).toBe("labels.invalid_name");

    const put = (path: string, labels: string[]) => api.request("PUT", path, { token, json: { labels } });
    const aniPath = `${ws(workspaceId)}/conversations/${ani.conversation.id}/labels`;
    expect((await put(aniPath, ["VIP", "refund", "VIP"])).body).toEqual({ labels: ["VIP", "refund"] });
    expect((await put(`${ws(workspaceId)}/conversations/${budi.conversation.id}/labels`, ["refund"])).body).toEqual({ labels: ["refund"] });
    // Conversations carry their labels, and every agent's list hears of a change.
    expect((await api.get(`${ws(workspaceId)}/conversations/${ani.conversation.id}`, token)).body.labels).toEqual(["VIP", "refund"]);
    const broadcast = parley().published.filter((event) => event.type === "conversation.updated" && event.conversation.id === budi.conversation.id);
    expect(broadcast.at(-1)).toMatchObject({ workspaceId, conversation: { labels: ["refund"] } });
    const unknown = await put(aniPath, ["nope"]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("labels.unknown");
    expect((await put(`${ws(workspaceId)}/contacts/${ani.contact.id}/labels`, ["VIP"])).body).toEqual({ labels: ["VIP"] });

    const listed = async (query: string) =>
      (await api.get(`${ws(workspaceId)}/conversations?label=${encodeURIComponent(query)}`, token)).body.data.map((c: { id: string }) => c.id).sort();
    expect(await listed("refund")).toEqual([ani.conversation.id, budi.conversation.id].sort());
    expect(await listed("VIP,refund")).toEqual([ani.conversation.id]);

    // A rename follows everywhere; a delete removes the label everywhere.
    expect((await api.patch(`${ws(workspaceId)}/labels/${vip.body.id}`, { name: "gold" }, token)).body.name).toBe("gold");
    expect(await listed("gold")).toEqual([ani.conversation.id]);
    expect((await api.get(`${ws(workspaceId)}/contacts/${ani.contact.id}`, token)).status).toBe(200);
    const refund = (await api.get(`${ws(workspaceId)}/labels`, token)).body.data.find((l: { name: string }) => l.name === "refund");
    expect((await api.request("DELETE", `${ws(workspaceId)}/labels/${refund.id}`, { token })).status).toBe(204);
    expect(await listed("refund")).toEqual([]);
    expect((await put(aniPath, ["gold"])).body).toEqual({ labels: ["gold"] });
    expect((await api.get(`${ws(workspaceId)}/labels`, token)).body.data.map((l: { name: string }) => l.name)).toEqual(["gold"]);
  });
});

describe("articles", () => {
  it("are written, searched in their language (stemmed) and by prefix, changed and deleted", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("articles");
    const base = `${ws(workspaceId)}/articles`;
    const shipping = await api.post(base, { title: "Pengiriman barang", body: "Kami mengirimkan pesanan setiap hari kerja lewat JNE.", language: "id" }, token);
    expect(shipping.status).toBe(201);
    await api.post(base, { title: "Refund policy", body: "Refunds are processed within 7 days of returning the items.", language: "en" }, token);
    expect((await api.post(base, { title: "x", body: "y", language: "Indonesian" }, token)).status).toBe(400);
    expect((await api.post(base, { title: "", body: "y" }, token)).status).toBe(400);

    const titles = async (q: string) => (await api.get(`${base}?q=${encodeURIComponent(q)}`, token)).body.data.map((a: { title: string }) => a.title);
    expect(await titles("pesanannya")).toEqual(["Pengiriman barang"]); // Indonesian stemming: pesanannya, pesanan → sanan
    expect(await titles("refunded")).toEqual(["Refund policy"]); // English stemming
    expect(await titles("pengi")).toEqual(["Pengiriman barang"]); // prefix
    expect(await titles("nothing here")).toEqual([]);
    expect((await api.get(base, token)).body.data).toHaveLength(2);

    const changed = await api.patch(`${base}/${shipping.body.id}`, { title: "Pengiriman & ongkir" }, token);
    expect(changed.body).toMatchObject({ title: "Pengiriman & ongkir", language: "id" });
    expect((await api.request("DELETE", `${base}/${shipping.body.id}`, { token })).status).toBe(204);
    expect((await api.get(`${base}/${shipping.body.id}`, token)).body.error.code).toBe("articles.not_found");
  });

  it("are read-only for viewers", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("articles-viewer");
    const email = `viewer-${Date.now()}@example.com`;
    await api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token);
    const viewer = (await api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    const denied = await api.post(`${ws(workspaceId)}/articles`, { title: "t", body: "b" }, viewer);
    expect(denied.status).toBe(403);
    expect((await api.get(`${ws(workspaceId)}/articles`, viewer)).body.data).toEqual([]);
  });
});
