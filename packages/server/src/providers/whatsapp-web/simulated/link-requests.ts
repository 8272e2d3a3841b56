/**
 * Devices waiting to be linked on the simulated network: each shows a QR that rotates every
 * `qrRefreshMs` until the phone scans the one on screen (an older one does not link), or the
 * phone enters the pairing code the device asked for (WhatsApp's "Link with phone number").
 */
import { randomBytes, randomInt } from "node:crypto";
import { type DeviceEvent, personJid } from "./wire.ts";

interface PendingLink {
  codes: Set<string>;
  pairing: { phone: string; code: string } | null;
  listener: (event: DeviceEvent) => void;
  timer: NodeJS.Timeout | undefined;
}

/** A device's link request, as the network hands it back to the device. */
export interface LinkRequest {
  /** Asks for an 8-character pairing code for `phone` (E.164), to type on that phone. */
  requestPairingCode(phone: string): string;
  cancel(): void;
}

/** The pending link requests of one network; `linkTo` completes one with an account. */
export class LinkRequests {
  private readonly pending = new Set<PendingLink>();

  constructor(
    private readonly qrRefreshMs: number,
    /** Links the device that asked (`listener`) to the account of `phoneE164`: the network's side of a completed link. */
    private readonly linkTo: (phoneE164: string, listener: (event: DeviceEvent) => void) => void,
  ) {}

  /** A device asks to link: it hears `qr` codes until a phone scans one or enters its pairing code. */
  request(listener: (event: DeviceEvent) => void): LinkRequest {
    const pending: PendingLink = { codes: new Set(), pairing: null, listener, timer: undefined };
    const issue = () => {
      if (!this.pending.has(pending)) return;
      const code = `2@${randomBytes(24).toString("base64")},${randomBytes(16).toString("base64")}`;
      // Only the code on screen links: a photo of an older one does not.
      pending.codes.clear();
      pending.codes.add(code);
      listener({ type: "qr", code });
    };
    this.pending.add(pending);
    // The timer first: a phone may scan the very first code synchronously, ending the link
    // (and clearing this timer) before `issue` returns.
    pending.timer = setInterval(issue, this.qrRefreshMs);
    issue();
    return {
      requestPairingCode: (phone) => {
        const code = Array.from({ length: 8 }, () => "ABCDEFGHJKLMNPQRSTVWXYZ0123456789"[randomInt(33)]).join("");
        pending.pairing = { phone: personJid(phone), code };
        return code;
      },
      cancel: () => this.end(pending),
    };
  }

  /** The phone of `phoneE164` scans a QR. Throws for an unknown or stale code. */
  scan(phoneE164: string, code: string): void {
    const pending = [...this.pending].find((link) => link.codes.has(code));
    if (!pending) throw new Error("This QR code is not valid any more: scan the one shown now.");
    this.complete(pending, phoneE164);
  }

  /** The phone of `phoneE164` enters a pairing code a device requested for it. Throws when none matches. */
  enterPairingCode(phoneE164: string, code: string): void {
    const jid = personJid(phoneE164);
    const pending = [...this.pending].find((link) => link.pairing?.phone === jid && link.pairing.code === code);
    if (!pending) throw new Error("This pairing code is not valid for this number.");
    this.complete(pending, phoneE164);
  }

  /** Stops every QR timer. */
  close(): void {
    for (const pending of this.pending) this.end(pending);
  }

  private complete(pending: PendingLink, phoneE164: string): void {
    this.end(pending);
    this.linkTo(phoneE164, pending.listener);
  }

  private end(pending: PendingLink): void {
    clearInterval(pending.timer);
    this.pending.delete(pending);
  }
}
