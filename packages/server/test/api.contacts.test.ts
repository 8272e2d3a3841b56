/** The Contacts API: list with filters and paging, create, edit, opt out; bad input changes nothing. */
import { contactDetailSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

async function shop(label: string) {
  const { api } = parley();
  const { token, workspaceId } = await api.signup(label);
  const base = `${ws(workspaceId)}/contacts`;
  const create = (body: Record<string, unknown>) => api.post(base, body, token);
  return { api, token, workspaceId, base, create };
}

describe("contacts", () => {
  it("are created with the phone read against the workspace's country, and refused twice or with a bad phone", async () => {
    const { create, api, token, workspaceId } = await shop("contacts-create");
    await api.post(`${ws(workspaceId)}/labels`, { name: "VIP" }, token);
    const created = await create({
      phone: "0812-3456-7890",
      name: " Dewi ",
      email: "Dewi@Example.com",
      labels: ["VIP"],
      custom_attributes: { city: "Bandung" },
    });
    expect(created.status).toBe(201);
    expect(contactDetailSchema.parse(created.body)).toMatchObject({
      phone: "+6281234567890",
      name: "Dewi",
      email: "dewi@example.com",
      labels: ["VIP"],
      custom_attributes: { city: "Bandung" },
      opted_out_at: null,
    });
    const again = await create({ phone: "+62 812 3456 7890" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "contacts.phone_taken", field: "phone" });
    const invalid = await create({ phone: "12345" });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ code: "contacts.invalid_phone", field: "phone" });
    expect((await create({ phone: "0813 1111 2222", labels: ["nope"] })).body.error.code).toBe("labels.unknown");
    expect((await create({ phone: "0813 1111 2222", email: "not an e-mail" })).status).toBe(400);
    const optedOut = await create({ phone: "+62 813 1111 2222", opted_out: true });
    expect(optedOut.body).toMatchObject({ phone: "+6281311112222", opt_out_source: "agent", opted_out_at: expect.any(String) });
  });

  it("are listed newest first, searched, filtered by labels and opt-out, and paged", async () => {
    const { create, api, token, workspaceId, base } = await shop("contacts-list");
    for (const name of ["VIP", "Jakarta"]) await api.post(`${ws(workspaceId)}/labels`, { name }, token);
    const ani = (await create({ phone: "081200000001", name: "Ani", labels: ["VIP", "Jakarta"] })).body;
    const budi = (await create({ phone: "081200000002", name: "Budi", labels: ["VIP"] })).body;
    const citra = (await create({ phone: "081200000003", name: "Citra", email: "citra@toko.id" })).body;
    await api.patch(`${base}/${budi.id}`, { opted_out: true }, token);
    const names = async (query: string) => (await api.get(`${base}?${query}`, token)).body.data.map((contact: { name: string }) => contact.name);

    expect(await names("")).toEqual(["Citra", "Budi", "Ani"]);
    expect(await names("q=toko")).toEqual(["Citra"]);
    expect(await names("q=%2B6281200000001")).toEqual(["Ani"]);
    expect(await names("label=VIP")).toEqual(["Budi", "Ani"]);
    expect(await names("label=VIP,Jakarta")).toEqual(["Ani"]);
    expect(await names("label=VIP&label=Jakarta")).toEqual(["Ani"]);
    expect(await names("opted_out=true")).toEqual(["Budi"]);
    expect(await names("opted_out=false&label=VIP")).toEqual(["Ani"]);

    const first = (await api.get(`${base}?limit=2`, token)).body;
    expect(first.data.map((contact: { id: string }) => contact.id)).toEqual([citra.id, budi.id]);
    const second = (await api.get(`${base}?limit=2&before=${first.next_cursor}`, token)).body;
    expect(second).toMatchObject({ data: [{ id: ani.id }], next_cursor: null });
    expect((await api.get(`${base}?limit=2&cursor=${first.next_cursor}`, token)).body).toEqual(second);
    expect((await api.get(`${base}?opted_out=maybe`, token)).status).toBe(400);
  });

  it("are edited: name, e-mail, phone, labels, custom attributes and the agent's opt-out, which shows when and how", async () => {
    const { create, api, token, workspaceId, base } = await shop("contacts-edit");
    await api.post(`${ws(workspaceId)}/labels`, { name: "Reseller" }, token);
    const contact = (await create({ phone: "081234567890", name: "Dewi", custom_attributes: { city: "Bandung", tier: "gold" } })).body;
    const path = `${base}/${contact.id}`;
    const edited = await api.patch(
      path,
      { name: "Dewi Lestari", phone: "+62 813-9999-0000", labels: ["Reseller"], custom_attributes: { city: "Jakarta" } },
      token,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: "Dewi Lestari", phone: "+6281399990000", labels: ["Reseller"], custom_attributes: { city: "Jakarta" } });

    const optedOut = await api.patch(path, { opted_out: true }, token);
    expect(optedOut.body).toMatchObject({ opt_out_source: "agent", opted_out_at: expect.any(String), name: "Dewi Lestari" });
    // Opting out again keeps the first time.
    expect((await api.patch(path, { opted_out: true }, token)).body.opted_out_at).toBe(optedOut.body.opted_out_at);
    expect((await api.patch(path, { opted_out: false }, token)).body).toMatchObject({ opted_out_at: null, opt_out_source: null });
    const updates = parley().published.filter((event) => event.type === "contact.updated" && event.contact.id === contact.id);
    expect(updates.length).toBeGreaterThanOrEqual(3);
  });

  it("answer 404 for another workspace's contact or a malformed id, and refuse bad edits changing nothing", async () => {
    const { create, api, token, base } = await shop("contacts-tenancy");
    const contact = (await create({ phone: "081234567890", name: "Dewi" })).body;
    await create({ phone: "081200000009", name: "Eka" });
    const other = await shop("contacts-intruder");
    expect((await api.get(`${other.base}/${contact.id}`, other.token)).status).toBe(404);
    const foreign = await api.patch(`${other.base}/${contact.id}`, { name: "Hacked" }, other.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("contacts.not_found");
    expect((await api.patch(`${base}/not-a-uuid`, { name: "x" }, token)).status).toBe(404);
    expect((await api.patch(`${base}/${contact.id}`, { phone: "081200000009" }, token)).status).toBe(409);
    expect((await api.patch(`${base}/${contact.id}`, { phone: "0" }, token)).status).toBe(422);
    expect((await api.patch(`${base}/${contact.id}`, { nickname: "D" }, token)).status).toBe(400);
    expect((await api.get(`${base}/${contact.id}`, token)).body).toMatchObject({ name: "Dewi", phone: "+6281234567890" });
  });

  it("are edited by agents but not by viewers", async () => {
    const { create, api, token, workspaceId, base } = await shop("contacts-roles");
    const contact = (await create({ phone: "081234567890" })).body;
    const email = `viewer-${Date.now()}@example.com`;
    await api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token);
    const viewer = (await api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    expect((await api.get(`${base}/${contact.id}`, viewer)).status).toBe(200);
    expect((await api.patch(`${base}/${contact.id}`, { opted_out: true }, viewer)).status).toBe(403);
    expect((await api.post(base, { phone: "081200000001" }, viewer)).status).toBe(403);
    expect((await api.get(`${base}/${contact.id}`, token)).body.opted_out_at).toBeNull();
  });
});
