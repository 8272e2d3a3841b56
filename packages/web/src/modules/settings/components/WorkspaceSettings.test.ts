import { flushPromises, mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import WorkspaceSettings from "./WorkspaceSettings.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const settingsPath = `/api/v1/workspaces/${workspaceId}/settings`;
const defaults = { country: "ID", time_zone: "Asia/Jakarta", opt_out_keywords: ["STOP", "BERHENTI"], opt_in_keywords: ["START"], opt_out_reply: "Bye" };

afterEach(() => vi.unstubAllGlobals());

describe("WorkspaceSettings", () => {
  it("saves the country, time zone, keywords (comma-separated) and switches the reply off", async () => {
    const requests = fakeFetch({
      [`GET ${settingsPath}`]: () => jsonResponse(defaults),
      [`PATCH ${settingsPath}`]: (body) => jsonResponse({ ...defaults, ...body }),
    });
    const wrapper = mount(WorkspaceSettings, { props: { workspaceId, canManage: true } });
    await flushPromises();
    expect((wrapper.get("#workspace-opt-out").element as HTMLInputElement).value).toBe("STOP, BERHENTI");
    await wrapper.get("#workspace-country").setValue("my");
    await wrapper.get("#workspace-time-zone").setValue("Asia/Kuala_Lumpur");
    await wrapper.get("#workspace-opt-out").setValue("STOP, BERHENTI,  unsubscribe ,");
    await wrapper.get('input[type="checkbox"]').setValue(false);
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)!.body).toEqual({
      country: "MY",
      time_zone: "Asia/Kuala_Lumpur",
      opt_out_keywords: ["STOP", "BERHENTI", "unsubscribe"],
      opt_in_keywords: ["START"],
      opt_out_reply: null,
    });
    expect(wrapper.text()).toContain("Saved");
  });

  it("shows the server's refusal of an unknown time zone", async () => {
    fakeFetch({
      [`GET ${settingsPath}`]: () => jsonResponse(defaults),
      [`PATCH ${settingsPath}`]: () =>
        jsonResponse(
          { error: { code: "workspaces.invalid_settings", message: '"Asia/Bandung" is not an IANA time zone (e.g. Asia/Jakarta).', field: "time_zone" } },
          422,
        ),
    });
    const wrapper = mount(WorkspaceSettings, { props: { workspaceId, canManage: true } });
    await flushPromises();
    await wrapper.get("#workspace-time-zone").setValue("Asia/Bandung");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain("is not an IANA time zone");
    expect(wrapper.get("#workspace-time-zone").attributes("aria-invalid")).toBe("true");
  });

  it("is read-only for agents", async () => {
    fakeFetch({ [`GET ${settingsPath}`]: () => jsonResponse(defaults) });
    const wrapper = mount(WorkspaceSettings, { props: { workspaceId, canManage: false } });
    await flushPromises();
    expect(wrapper.text()).toContain("Only owners and admins can change these settings.");
    expect(wrapper.find('button[type="submit"]').exists()).toBe(false);
    expect(wrapper.get("fieldset").attributes("disabled")).toBeDefined();
  });
});
