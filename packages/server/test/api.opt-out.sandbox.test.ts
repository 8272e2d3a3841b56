/**
 * Keyword opt-out on a WhatsApp Web inbox (sandbox engine): the customer's phone gets the
 * confirmation through the session, like any reply, and the contact is opted out.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { useTestParley, workspacePath } from "./parley.ts";

const parley = useTestParley("pglite");
const customer = "+6281298765432";

describe("opting out on a WhatsApp Web inbox", () => {
  it("opts out a customer who writes BERHENTI and shows the confirmation on their phone", async () => {
    const { api } = parley();
    const { token, workspaceId } = await api.signup("opt-out-sandbox");
    const inbox = (await api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WA", provider: "whatsapp_web", config: { engine: "sandbox" } }, token))
      .body;
    const sandbox = `/api/v1/sandbox/${inbox.id}`;
    const status = async () => (await api.get(`${workspacePath(workspaceId)}/inboxes/${inbox.id}`, token)).body.status;
    await eventually(async () => ((await status()) === "qr_ready" ? true : undefined), { what: "the QR" });
    await api.post(`${sandbox}/scan`, {}, token);
    await eventually(async () => ((await status()) === "ready" ? true : undefined), { what: "the session" });

    expect((await api.post(`${sandbox}/messages`, { from: customer, name: "Rina", body: "BERHENTI" }, token)).status).toBe(201);
    const contact = await eventually(
      async () => {
        const [conversation] = (await api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data;
        return conversation?.contact.opted_out_at ? conversation.contact : undefined;
      },
      { what: "the contact opted out" },
    );
    expect(contact).toMatchObject({ phone: customer, opt_out_source: "keyword" });

    const chat = (await api.get(`${sandbox}/chats`, token)).body.data.find((found: { is_group: boolean }) => !found.is_group);
    const confirmation = await eventually(
      async () =>
        (await api.get(`${sandbox}/chats/${chat.jid}/messages`, token)).body.data.find((message: { from_business: boolean }) => message.from_business),
      { what: "the confirmation on the customer's phone" },
    );
    expect(confirmation.body).toContain("MULAI");
  });
});
