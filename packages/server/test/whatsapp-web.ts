/** A WhatsApp Web inbox of a workspace of its own, for tests and benches that work on the store directly. */
import type { WhatsappEngine } from "../src/domain/inboxes/inbox.ts";
import { newId } from "../src/domain/ids.ts";
import type { Store } from "../src/domain/ports.ts";

/** Creates a workspace and a disconnected `whatsapp_web` inbox on `engine` in it. */
export async function createWhatsappWebInbox(store: Store, engine: WhatsappEngine, label = "Toko") {
  const workspace = await store.workspaces.create({ id: newId(), name: label, slug: `${label.toLowerCase()}-${newId().slice(-8)}` });
  return store.inboxes.create({
    id: newId(),
    workspaceId: workspace.id,
    provider: "whatsapp_web",
    name: "WhatsApp",
    status: "disconnected",
    widgetKey: null,
    widget: null,
    config: { engine },
  });
}
