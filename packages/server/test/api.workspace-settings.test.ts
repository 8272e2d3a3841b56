/** The workspace's settings over the API: defaults, changes by owners and admins, and refused values. */
import { workspaceSettingsSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { useTestApp } from "./app.ts";
import { workspacePath as ws } from "./parley.ts";

const parley = useTestApp();

describe("workspace settings", () => {
  it("start as Indonesia, Jakarta time and STOP / BERHENTI / UNSUBSCRIBE with a reply", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("settings-defaults");
    const response = await api.get(`${ws(workspaceId)}/settings`, token);
    expect(response.status).toBe(200);
    expect(workspaceSettingsSchema.parse(response.body)).toMatchObject({
      country: "ID",
      time_zone: "Asia/Jakarta",
      opt_out_keywords: ["STOP", "BERHENTI", "UNSUBSCRIBE"],
      opt_in_keywords: ["START", "MULAI"],
      opt_out_reply: expect.stringContaining("MULAI"),
    });
  });

  it("are changed in part, kept on the next read, and the reply can be switched off", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("settings-change");
    const changed = await api.patch(
      `${ws(workspaceId)}/settings`,
      { country: "br", time_zone: "America/Sao_Paulo", opt_out_keywords: ["PARAR", "Stop", "stop!"], opt_out_reply: null },
      token,
    );
    expect(changed.status).toBe(200);
    // The country is upper-cased, and keywords that match alike are kept once.
    expect(changed.body).toEqual({
      country: "BR",
      time_zone: "America/Sao_Paulo",
      opt_out_keywords: ["PARAR", "Stop"],
      opt_in_keywords: ["START", "MULAI"],
      opt_out_reply: null,
    });
    expect((await api.get(`${ws(workspaceId)}/settings`, token)).body).toEqual(changed.body);
    expect((await api.patch(`${ws(workspaceId)}/settings`, { time_zone: "Asia/Jakarta" }, token)).body).toMatchObject({
      country: "BR",
      time_zone: "Asia/Jakarta",
    });
  });

  it("refuse an unknown country or time zone, and a keyword in both lists, with 422 naming the field, changing nothing", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("settings-invalid");
    const before = (await api.get(`${ws(workspaceId)}/settings`, token)).body;
    for (const [body, field] of [
      [{ country: "XX" }, "country"],
      [{ country: "ID", time_zone: "Mars/Olympus_Mons" }, "time_zone"],
      [{ opt_in_keywords: ["Berhenti"] }, "opt_in_keywords"],
    ] as const) {
      const refused = await api.patch(`${ws(workspaceId)}/settings`, body, token);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "workspaces.invalid_settings", field });
    }
    const malformed = await api.patch(`${ws(workspaceId)}/settings`, { country: "Indonesia", colour: "red" }, token);
    expect(malformed.status).toBe(400);
    expect((await api.get(`${ws(workspaceId)}/settings`, token)).body).toEqual(before);
  });

  it("are read by agents but changed by owners and admins only, and not at all from another workspace", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("settings-roles");
    const email = `agent-${Date.now()}@example.com`;
    await api.post(`${ws(workspaceId)}/members`, { email, role: "agent", name: "Ag", password: "agent password" }, token);
    const agent = (await api.post("/api/v1/auth/login", { email, password: "agent password" })).body.token;
    expect((await api.get(`${ws(workspaceId)}/settings`, agent)).status).toBe(200);
    const denied = await api.patch(`${ws(workspaceId)}/settings`, { country: "MY" }, agent);
    expect(denied.status).toBe(403);
    const other = await api.signup("settings-intruder");
    expect((await api.patch(`${ws(workspaceId)}/settings`, { country: "MY" }, other.token)).status).toBe(404);
    expect((await api.get(`${ws(workspaceId)}/settings`, token)).body.country).toBe("ID");
  });
});
