import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEngineContract } from "../engine.contract.ts";
import { SimulatedWhatsApp } from "../simulated/network.ts";
import { createWhatsappWebJsEngine } from "./engine.ts";
import { FakeWhatsappWebJsClient } from "./fake-client.ts";

runEngineContract("whatsapp-web.js (fake client on the simulated network)", () => {
  const network = new SimulatedWhatsApp({ qrRefreshMs: 200 });
  // Each engine is a new process as far as it knows: its own profile directory, like another node.
  return {
    network,
    newEngine: (credentials) =>
      createWhatsappWebJsEngine({
        credentials,
        dataPath: mkdtempSync(join(tmpdir(), "parley-wwebjs-")),
        // The simulated network never recovers a dropped connection by itself: give up on it quickly.
        stalledTimeoutMs: 100,
        makeClient: (options) => new FakeWhatsappWebJsClient(network, options),
      }),
  };
});
