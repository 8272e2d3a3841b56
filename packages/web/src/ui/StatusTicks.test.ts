import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { MessageStatus } from "../lib/types.ts";
import StatusTicks from "./StatusTicks.vue";

function render(status: MessageStatus) {
  const wrapper = mount(StatusTicks, { props: { status } });
  const tick = wrapper.get('[role="img"]');
  return { label: tick.attributes("aria-label"), tick: tick.attributes("data-tick"), classes: tick.classes(), paths: wrapper.findAll("path").length };
}

describe("status ticks", () => {
  it("shows a clock while pending", () => {
    expect(render("pending")).toMatchObject({ label: "Sending", tick: "clock" });
  });

  it("shows one grey tick when sent and two when delivered", () => {
    const sent = render("sent");
    const delivered = render("delivered");
    expect(sent).toMatchObject({ label: "Sent", tick: "single", paths: 1 });
    expect(delivered).toMatchObject({ label: "Delivered", tick: "double", paths: 2 });
    expect(sent.classes).not.toContain("text-tick-read");
    expect(delivered.classes).not.toContain("text-tick-read");
  });

  it("turns both ticks blue when read or played", () => {
    for (const status of ["read", "played"] as const) {
      const ticks = render(status);
      expect(ticks.tick).toBe("double-blue");
      expect(ticks.paths).toBe(2);
      expect(ticks.classes).toContain("text-tick-read");
    }
  });

  it("shows a red alert when the message failed", () => {
    const failed = render("failed");
    expect(failed).toMatchObject({ label: "Not sent", tick: "failed" });
    expect(failed.classes).toContain("text-danger");
  });
});
