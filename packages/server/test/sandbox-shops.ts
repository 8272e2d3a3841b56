/**
 * Helpers of the tests that run shops on the sandbox engine: a workspace with a sandbox inbox
 * linked to its simulated phone, and what the simulated customers received from it.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { SimulatedWhatsApp } from "../src/providers/whatsapp-web/simulated/network.ts";
import { eventually } from "./eventually.ts";
import { startTestParley, type TestParley, workspacePath } from "./parley.ts";

/**
 * One Parley on PGlite for the calling test file (started in beforeAll, stopped in afterAll) with
 * its own simulated WhatsApp for sandbox inboxes; `overrides` are environment variables as for
 * `startTestParley`. `parley()` is valid inside tests.
 */
export function useSandboxParley(overrides: Record<string, string> = {}) {
  const network = new SimulatedWhatsApp();
  let parley: TestParley | undefined;
  beforeAll(async () => {
    parley = await startTestParley("pglite", overrides, { sandboxNetwork: network });
  });
  afterAll(async () => {
    await parley?.stop();
    network.close();
  });
  return {
    network,
    parley: () => {
      if (!parley) throw new Error("Parley is not started yet: use it inside a test");
      return parley;
    },
  };
}

/** A workspace with a sandbox inbox linked to the sandbox phone (or only showing its QR: `link: false`; `scan()` links it). */
export async function linkedShop(parley: TestParley, label: string, link = true) {
  const api = parley.api;
  const { token, workspaceId } = await api.signup(label);
  const created = await api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WhatsApp", provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
  const inboxId: string = created.body.id;
  const inbox = () => api.get(`${workspacePath(workspaceId)}/inboxes/${inboxId}`, token);
  await eventually(async () => (await inbox()).body.status === "qr_ready", { what: "the QR" });
  const scan = async () => {
    expect((await api.post(`/api/v1/sandbox/${inboxId}/scan`, {}, token)).status).toBe(204);
    await eventually(async () => (await inbox()).body.status === "ready", { what: "the linked inbox" });
  };
  if (link) await scan();
  const business: string = (await api.get(`/api/v1/sandbox/${inboxId}`, token)).body.phone_number;
  return { token, workspaceId, inboxId, business, scan };
}

/** Messages the business (E.164) sent to `customer` (E.164), as the simulated network holds them. */
export function receivedBy(network: SimulatedWhatsApp, business: string, customer: string) {
  const customerJid = `${customer.slice(1)}@s.whatsapp.net`;
  return network.history(business, customerJid).filter((message) => message.sender !== customerJid);
}
