/**
 * The WhatsApp Web engines a node can run a session on, by kind: the sandbox on this process's
 * simulated WhatsApp, and the two real libraries (baileys, whatsapp-web.js). The
 * libraries load on a node's first session of their kind (together about 0.6 s of start-up
 * otherwise).
 */
import { join } from "node:path";
import type { EngineKind } from "../domain/whatsapp-web/engine.ts";
import { createSandboxEngine } from "../providers/whatsapp-web/sandbox/engine.ts";
import type { SimulatedWhatsApp } from "../providers/whatsapp-web/simulated/network.ts";
import type { EngineFactory } from "./session-runtime.ts";

/**
 * @param sandboxNetwork the simulated WhatsApp sandbox sessions connect to.
 * @param dataDir Parley's data directory; whatsapp-web.js keeps its browser profiles under
 *   `{dataDir}/whatsapp-web-js`, or in memory for a `memory://` directory.
 */
export function whatsappEngineFactories(sandboxNetwork: SimulatedWhatsApp, dataDir: string): Record<EngineKind, EngineFactory> {
  return {
    sandbox: (_inboxId, credentials) => createSandboxEngine(sandboxNetwork, credentials),
    baileys: async (_inboxId, credentials) => (await import("../providers/whatsapp-web/baileys/engine.ts")).createBaileysEngine({ credentials }),
    "whatsapp-web.js": async (inboxId, credentials) =>
      (await import("../providers/whatsapp-web/whatsapp-web-js/engine.ts")).createWhatsappWebJsEngine({
        credentials,
        clientId: inboxId.replace(/[^A-Za-z0-9_-]/g, ""),
        ...(dataDir.startsWith("memory://") ? {} : { dataPath: join(dataDir, "whatsapp-web-js") }),
      }),
  };
}
