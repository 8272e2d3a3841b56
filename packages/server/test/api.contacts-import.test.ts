/** Contacts from and to CSV: messy numbers normalised, the per-row report, labels, limits, and the export. */
import { contactImportReportSchema } from "@parley/protocol/api";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

/** A multipart/form-data body with the CSV in a `file` field, and other text fields. */
function multipart(csv: string, fields: Record<string, string> = {}): { rawBody: string; headers: Record<string, string> } {
  const boundary = "parleyImportBoundary";
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`);
  return { rawBody: `${parts.join("")}--${boundary}--\r\n`, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function shop(label: string) {
  const { api } = parley();
  const { token, workspaceId } = await api.signup(label);
  const base = `${ws(workspaceId)}/contacts`;
  const upload = (csv: string, fields: Record<string, string> = {}) => api.request("POST", `${base}/import`, { token, ...multipart(csv, fields) });
  const list = async (query = "") => (await api.get(`${base}?limit=100&${query}`, token)).body.data as Array<Record<string, any>>;
  return { api, token, workspaceId, base, upload, list };
}

/** The E.164 form libphonenumber-js itself gives a number written in Indonesia. */
const e164 = (raw: string) => parsePhoneNumberFromString(raw, "ID")!.number;

describe("importing contacts from CSV", () => {
  it("normalises messy Indonesian numbers exactly as libphonenumber-js does, and reports invalid and repeated rows", async () => {
    const { upload, list } = await shop("import-messy");
    const csv = [
      "phone,name",
      "0812 3456 7890,Spaces",
      "+62 813-1111-2222,Plus and dashes",
      "62 815.3333.4444,Country code and dots",
      "(0817) 5555 6666,Brackets",
      "0062 818 7777 8888,Double zero",
      "081234567890,Repeat of the first",
      "12345,Too short",
      ",No phone",
      "0812-ABC,Letters",
    ].join("\n");
    const response = await upload(csv);
    expect(response.status).toBe(200);
    expect(contactImportReportSchema.parse(response.body)).toEqual({
      created: 5,
      updated: 0,
      duplicates: 1,
      invalid: [
        { row: 8, problem: "invalid_phone", value: "12345", reason: expect.stringContaining("not a valid phone number") },
        { row: 9, problem: "missing_phone", value: "", reason: "No phone number." },
        { row: 10, problem: "invalid_phone", value: "0812-ABC", reason: expect.stringContaining("0812-ABC") },
      ],
    });
    const phones = (await list()).map((contact) => [contact["name"], contact["phone"]]);
    expect(Object.fromEntries(phones)).toEqual({
      Spaces: e164("0812 3456 7890"),
      "Plus and dashes": e164("+62 813-1111-2222"),
      "Country code and dots": e164("+62 815 3333 4444"),
      Brackets: e164("(0817) 5555 6666"),
      "Double zero": e164("+62 818 7777 8888"),
    });
    expect(Object.fromEntries(phones)).toEqual({
      Spaces: "+6281234567890",
      "Plus and dashes": "+6281311112222",
      "Country code and dots": "+6281533334444",
      Brackets: "+6281755556666",
      "Double zero": "+6281877778888",
    });
  });

  it("updates existing contacts (name only when given, labels merged), creates missing labels, keeps extra columns and applies the form's label", async () => {
    const { upload, list, api, token, workspaceId } = await shop("import-update");
    await api.post(`${ws(workspaceId)}/labels`, { name: "VIP" }, token);
    await api.post(`${ws(workspaceId)}/contacts`, { phone: "081234567890", name: "Dewi", labels: ["VIP"] }, token);
    const csv = ["Phone;Name;Labels;City", "081234567890;;Reseller|VIP;Bandung", "081299998888;Eka;Reseller;Solo"].join("\r\n");
    const response = await upload(csv, { label: "Import November" });
    expect(response.body).toEqual({ created: 1, updated: 1, invalid: [], duplicates: 0 });
    const contacts = Object.fromEntries((await list()).map((contact) => [contact["phone"], contact]));
    expect(contacts["+6281234567890"]).toMatchObject({ name: "Dewi", labels: ["VIP", "Reseller", "Import November"], custom_attributes: { City: "Bandung" } });
    expect(contacts["+6281299998888"]).toMatchObject({ name: "Eka", labels: ["Reseller", "Import November"], custom_attributes: { City: "Solo" } });
    const labels = (await api.get(`${ws(workspaceId)}/labels`, token)).body.data.map((label: { name: string }) => label.name);
    expect(labels.sort()).toEqual(["Import November", "Reseller", "VIP"]);
    // The contacts of the import are an audience by its label.
    expect((await list("label=Import%20November")).map((contact) => contact["phone"]).sort()).toEqual(["+6281234567890", "+6281299998888"]);
  });

  it("refuses a malformed CSV, one without a phone column, a non-multipart body and an oversized file, importing nothing", async () => {
    const { upload, list, api, token, base } = await shop("import-bad");
    const malformed = await upload('phone,name\n0812 3456 7890,"Dewi\n0813 1111 2222,Eka');
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.code).toBe("contacts.invalid_import");
    const noPhone = await upload("name,email\nDewi,dewi@example.com");
    expect(noPhone.status).toBe(422);
    expect(noPhone.body.error.message).toContain("no phone column");
    expect((await upload("")).status).toBe(422);
    const json = await api.post(`${base}/import`, { phone: "0812" }, token);
    expect(json.status).toBe(400);
    const big = `phone,name\n${"081234567890,Someone with a very long name to fill the file up quickly\n".repeat(90_000)}`;
    const tooLarge = await upload(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("contacts.import_too_large");
    expect(await list()).toEqual([]);
  });

  it("refuses more than 50,000 rows with 422, importing nothing", async () => {
    const { upload, list } = await shop("import-rows");
    const rows = Array.from({ length: 50_001 }, (_, index) => `0812${String(10_000_000 + index)}`);
    const response = await upload(`phone\n${rows.join("\n")}`);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toContain("at most 50000");
    expect(await list()).toEqual([]);
  });

  it("imports 10,000 rows in one request", async () => {
    const { upload, list } = await shop("import-10k");
    const rows = Array.from({ length: 10_000 }, (_, index) => `0812${String(10_000_000 + index)},Customer ${index}`);
    const response = await upload(`phone,name\n${rows.join("\n")}`);
    expect(response.body).toEqual({ created: 10_000, updated: 0, invalid: [], duplicates: 0 });
    expect(await list()).toHaveLength(100);
    // Again: every row is an existing contact now.
    expect((await upload(`phone,name\n${rows.join("\n")}`)).body).toMatchObject({ created: 0, updated: 10_000 });
  });

  it("refuses viewers, and never touches another workspace's contacts", async () => {
    const { upload, api, token, workspaceId } = await shop("import-roles");
    const email = `viewer-${Date.now()}@example.com`;
    await api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token);
    const viewer = (await api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    const denied = await api.request("POST", `${ws(workspaceId)}/contacts/import`, { token: viewer, ...multipart("phone\n081234567890") });
    expect(denied.status).toBe(403);
    const other = await shop("import-other");
    await other.upload("phone,name\n081234567890,Other shop's Dewi");
    expect((await upload("phone,name\n081234567890,Dewi")).body).toMatchObject({ created: 1, updated: 0 });
    expect((await other.list())[0]).toMatchObject({ name: "Other shop's Dewi" });
  });
});

describe("exporting contacts to CSV", () => {
  it("streams the filtered contacts with their labels and custom attributes, and the file imports back unchanged", async () => {
    const { upload, api, token, base } = await shop("export");
    await upload(["phone,name,labels,city", "081234567890,Dewi,VIP;Reseller,Bandung", "081299998888,=HYPERLINK(),Reseller,"].join("\n"));
    const exported = await api.get(`${base}/export.csv?label=VIP`, token);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = String(exported.body)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("phone,name,email,labels,opted_out,opt_out_source,opted_out_at,created_at,city");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\+6281234567890,Dewi,,VIP;Reseller,,,,[^,]+,Bandung$/);
    // A cell a spreadsheet would run as a formula is quoted.
    expect(String((await api.get(`${base}/export.csv`, token)).body)).toContain("'=HYPERLINK()");

    const everything = String((await api.get(`${base}/export.csv`, token)).body);
    const other = await shop("export-reimport");
    expect((await other.upload(everything)).body).toMatchObject({ created: 2, invalid: [] });
    expect((await other.list()).find((contact) => contact["phone"] === "+6281234567890")).toMatchObject({
      name: "Dewi",
      labels: ["VIP", "Reseller"],
      custom_attributes: { city: "Bandung" },
    });
  });

  it("is for owners and admins: an agent or a viewer gets 403 and no file", async () => {
    const { upload, api, token, workspaceId, base } = await shop("export-roles");
    await upload("phone,name\n081234567890,Dewi");
    const memberToken = async (role: string) => {
      const email = `${role}-${Date.now()}@example.com`;
      await api.post(`${ws(workspaceId)}/members`, { email, role, name: role, password: `${role} password` }, token);
      return (await api.post("/api/v1/auth/login", { email, password: `${role} password` })).body.token as string;
    };
    for (const role of ["agent", "viewer"]) {
      const refused = await api.get(`${base}/export.csv`, await memberToken(role));
      expect(refused.status, role).toBe(403);
      expect(refused.body.error.code).toBe("auth.forbidden");
      expect(JSON.stringify(refused.body)).not.toContain("+6281234567890");
    }
    const admin = await api.get(`${base}/export.csv`, await memberToken("admin"));
    expect(admin.status).toBe(200);
    expect(String(admin.body)).toContain("+6281234567890,Dewi");
  });
});
