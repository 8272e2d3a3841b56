import { runEngineContract } from "../engine.contract.ts";
import { SimulatedWhatsApp } from "../simulated/network.ts";
import { createBaileysEngine } from "./engine.ts";
import { fakeBaileys } from "./fake-socket.ts";

runEngineContract("baileys (fake socket on the simulated network)", () => {
  const network = new SimulatedWhatsApp({ qrRefreshMs: 200 });
  const { makeSocket, downloadMedia } = fakeBaileys(network);
  return { network, newEngine: (credentials) => createBaileysEngine({ credentials, makeSocket, downloadMedia }) };
});
