import { describe, expect, it } from "vitest";
import type { Inbox, InboxProvider, InboxStatus } from "./inbox.ts";
import { chooseSendingInbox, healthScore } from "./sending-inbox.ts";

let created = 0;
function inbox(id: string, status: InboxStatus, options: { provider?: InboxProvider; isPrimary?: boolean; workspaceId?: string } = {}): Inbox {
  created += 1;
  return {
    id,
    workspaceId: options.workspaceId ?? "w1",
    provider: options.provider ?? "whatsapp_web",
    name: id,
    status,
    statusReason: null,
    phoneNumber: null,
    engine: "sandbox",
    qr: null,
    sync: null,
    isPrimary: options.isPrimary ?? false,
    widgetKey: null,
    widget: null,
    cloudApi: null,
    unreadCount: 0,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, created)),
  };
}

describe("the inbox a reply goes through", () => {
  it("is the conversation's own when it is connected, whatever else is primary", () => {
    const own = inbox("own", "ready");
    expect(chooseSendingInbox(own, [own, inbox("p", "ready", { isPrimary: true })], new Map())).toEqual({ inbox: own, failover: false, reason: "own" });
  });

  it("is the workspace's primary connected inbox of the same kind when its own is down", () => {
    const own = inbox("own", "failed");
    const primary = inbox("primary", "ready", { isPrimary: true });
    const healthy = inbox("healthy", "ready");
    const outcomes = new Map([
      ["healthy", { succeeded: 50, failed: 0 }],
      ["primary", { succeeded: 1, failed: 9 }],
    ]);
    expect(chooseSendingInbox(own, [own, healthy, primary], outcomes)).toMatchObject({ inbox: { id: "primary" }, failover: true, reason: "primary" });
  });

  it("is the healthiest connected one when there is no connected primary, never another kind or workspace", () => {
    const own = inbox("own", "connecting");
    const candidates = [
      own,
      inbox("primary-down", "qr_ready", { isPrimary: true }),
      inbox("failing", "ready"),
      inbox("clean", "ready"),
      inbox("cloud", "ready", { provider: "whatsapp_cloud" }),
      inbox("elsewhere", "ready", { workspaceId: "w2" }),
    ];
    const outcomes = new Map([
      ["failing", { succeeded: 2, failed: 8 }],
      ["clean", { succeeded: 10, failed: 0 }],
      ["cloud", { succeeded: 100, failed: 0 }],
    ]);
    expect(chooseSendingInbox(own, candidates, outcomes)).toMatchObject({ inbox: { id: "clean" }, reason: "health" });
  });

  it("is none when nothing else is connected, or for a group (another number is not in it)", () => {
    const own = inbox("own", "failed");
    expect(chooseSendingInbox(own, [own, inbox("other", "disconnected")], new Map())).toBeNull();
    expect(chooseSendingInbox(own, [own, inbox("other", "ready")], new Map(), { allowFailover: false })).toBeNull();
  });

  it("never fails a Cloud API or widget inbox over: they have no session to lose", () => {
    const cloud = inbox("cloud", "failed", { provider: "whatsapp_cloud" });
    expect(chooseSendingInbox(cloud, [cloud, inbox("other", "ready", { provider: "whatsapp_cloud" })], new Map())).toMatchObject({
      inbox: { id: "cloud" },
      failover: false,
    });
  });
});

describe("an inbox's health score", () => {
  it("weighs the connection and the share of recent sends that went through", () => {
    expect(healthScore("ready", { succeeded: 10, failed: 0 })).toBe(100);
    expect(healthScore("ready", undefined)).toBe(90);
    expect(healthScore("ready", { succeeded: 5, failed: 5 })).toBe(80);
    expect(healthScore("connecting", { succeeded: 10, failed: 0 })).toBe(58);
    expect(healthScore("failed", { succeeded: 0, failed: 3 })).toBe(0);
  });
});
