import { runEngineContract } from "../engine.contract.ts";
import { SimulatedWhatsApp } from "../simulated/network.ts";
import { createSandboxEngine } from "./engine.ts";

runEngineContract("sandbox (simulated network)", () => {
  const network = new SimulatedWhatsApp({ qrRefreshMs: 200 });
  return { network, newEngine: (credentials) => createSandboxEngine(network, credentials) };
});
