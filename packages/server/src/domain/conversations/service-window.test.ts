import { describe, expect, it } from "vitest";
import { serviceWindowState, whatsappServiceWindowMs } from "./service-window.ts";

const customerWrote = new Date("2025-03-01T12:00:00.000Z");
const after = (ms: number) => new Date(customerWrote.getTime() + ms);

describe("serviceWindowState", () => {
  it("is open right after the customer's message and says when it closes", () => {
    expect(serviceWindowState(customerWrote, after(60_000), whatsappServiceWindowMs)).toEqual({
      open: true,
      closesAt: new Date("2025-03-02T12:00:00.000Z"),
    });
  });

  it("is open 1 ms before 24 h, closed at exactly 24 h and 1 ms after", () => {
    expect(serviceWindowState(customerWrote, after(whatsappServiceWindowMs - 1), whatsappServiceWindowMs).open).toBe(true);
    expect(serviceWindowState(customerWrote, after(whatsappServiceWindowMs), whatsappServiceWindowMs).open).toBe(false);
    expect(serviceWindowState(customerWrote, after(whatsappServiceWindowMs + 1), whatsappServiceWindowMs).open).toBe(false);
  });

  it("is closed, with no closing time, when the customer never wrote", () => {
    expect(serviceWindowState(null, customerWrote, whatsappServiceWindowMs)).toEqual({ open: false, closesAt: null });
  });

  it("is always open for a provider without a window", () => {
    expect(serviceWindowState(null, customerWrote, null)).toEqual({ open: true, closesAt: null });
    expect(serviceWindowState(customerWrote, after(30 * whatsappServiceWindowMs), null)).toEqual({ open: true, closesAt: null });
  });

  it("measures from the customer's timestamp, however late the webhook arrived", () => {
    // A message written 23 h 59 min ago and delivered just now leaves one minute.
    const state = serviceWindowState(customerWrote, after(whatsappServiceWindowMs - 60_000), whatsappServiceWindowMs);
    expect(state.open).toBe(true);
    expect(state.closesAt!.getTime() - after(whatsappServiceWindowMs - 60_000).getTime()).toBe(60_000);
  });
});
