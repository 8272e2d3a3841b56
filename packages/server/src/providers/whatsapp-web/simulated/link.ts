/**
 * Linking an engine to a business account on the simulated network, for the tests and benches
 * that need a session ready before they begin: the phone scans the first QR the engine shows.
 */
import type { WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import type { SimulatedWhatsApp } from "./network.ts";

/** Starts `engine`, scans its first QR with `businessE164`'s phone, and resolves once it is ready. */
export async function startLinked(network: SimulatedWhatsApp, engine: WhatsAppEngine, businessE164: string): Promise<void> {
  const ready = new Promise<void>((resolve) => {
    const unsubscribe = engine.on((event) => {
      if (event.type === "qr") network.scan(businessE164, event.code);
      if (event.type !== "ready") return;
      unsubscribe();
      resolve();
    });
  });
  await engine.start();
  await ready;
}
