/**
 * The contract every Provider implementation passes (domain/providers/provider.ts lists the
 * guarantees; ARCHITECTURE.md: one contract suite per port, run by every implementation). A
 * provider is done when this suite passes against its far side (a local fake of it).
 *
 * Usage, in `<provider>/provider.contract.test.ts`:
 *   runProviderContract("WhatsApp Cloud API", async () => ({ provider, inbox, recipient, … }));
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type MediaMessageType,
  type OutboundContent,
  type OutboundMessage,
  type Provider,
  ProviderError,
  type ProviderInbox,
  type ProviderRecipient,
} from "../domain/providers/provider.ts";

/** What the far side received, reduced to what the contract compares. */
export type DeliveredContent =
  | { kind: "text"; text: string }
  | { kind: "media"; type: MediaMessageType; mediaId: string | null; caption: string | null }
  | { kind: "other"; description: string };

/** One provider wired to its far side, fresh for each test. */
export interface ProviderContractSubject {
  provider: Provider;
  inbox: ProviderInbox;
  /** A recipient the far side delivers to. */
  recipient: ProviderRecipient;
  /** A recipient the far side refuses (unknown, blocked, or not on the network). */
  refusedRecipient: ProviderRecipient;
  /** A message id the recipient sent, for read receipts and typing; null when the provider needs none. */
  inboundProviderMessageId: string | null;
  /** Everything the far side received so far, in order. */
  delivered(): Promise<DeliveredContent[]>;
  /** Stops the far side. */
  close(): Promise<void>;
}

let sequence = 0;
function message(recipient: ProviderRecipient, content: OutboundContent, replyTo: string | null = null): OutboundMessage {
  sequence++;
  return { messageId: `contract-message-${sequence}`, recipient, content, replyToProviderMessageId: replyTo };
}

function mediaOf(type: MediaMessageType, mime: string) {
  const bytes = new Uint8Array(64).map((_, i) => i);
  return { id: `contract-media-${type}`, mime, sizeBytes: bytes.byteLength, filename: type === "document" ? "contract.pdf" : null, read: async () => bytes };
}

/** Registers the contract tests for one provider. `setup` is called before every test. */
export function runProviderContract(name: string, setup: () => Promise<ProviderContractSubject>): void {
  describe(`Provider contract: ${name}`, () => {
    let subject: ProviderContractSubject;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(() => subject.close());

    it("sends text: resolves with a receipt, and the far side got the text", async () => {
      const receipt = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "Hello from the contract" }));
      expect(["sent", "delivered"]).toContain(receipt.status);
      expect(receipt.providerMessageId === null || (typeof receipt.providerMessageId === "string" && receipt.providerMessageId.length > 0)).toBe(true);
      expect(await subject.delivered()).toContainEqual({ kind: "text", text: "Hello from the contract" });
    });

    it("gives distinct provider ids to distinct messages", async () => {
      const a = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "one" }));
      const b = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "two" }));
      if (a.providerMessageId !== null) expect(a.providerMessageId).not.toBe(b.providerMessageId);
    });

    it("delivers a text of exactly maxBodyLength characters", async () => {
      const body = "x".repeat(subject.provider.capabilities(subject.inbox).maxBodyLength);
      await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body }));
      expect(await subject.delivered()).toContainEqual({ kind: "text", text: body });
    });

    it("has sane capabilities, computed without I/O and the same every time", async () => {
      const first = subject.provider.capabilities(subject.inbox);
      expect(first).not.toBeInstanceOf(Promise);
      expect(subject.provider.capabilities(subject.inbox)).toEqual(first);
      expect(Number.isInteger(first.maxBodyLength) && first.maxBodyLength > 0).toBe(true);
      for (const limits of Object.values(first.media)) {
        expect(Number.isInteger(limits.maxBytes) && limits.maxBytes > 0).toBe(true);
        for (const mime of limits.mimeTypes) expect(mime).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
      }
      expect(first.customerServiceWindowMs === null || first.customerServiceWindowMs > 0).toBe(true);
      expect(typeof first.templates).toBe("boolean");
      expect(typeof first.reactions).toBe("boolean");
      expect(await subject.delivered()).toEqual([]);
    });

    it("throws a ProviderError with a reason, never a plain Error, for a refused send, and delivers nothing", async () => {
      const error = await subject.provider.send(subject.inbox, message(subject.refusedRecipient, { kind: "text", body: "nobody home" })).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      const refusal = error as ProviderError;
      expect(["later", "never"]).toContain(refusal.retry);
      expect(refusal.reason.trim().length).toBeGreaterThan(0);
      expect(await subject.delivered()).toEqual([]);
    });

    it("marks read and shows typing for a valid recipient without throwing", async () => {
      const { provider, inbox, recipient, inboundProviderMessageId: last } = subject;
      await provider.markRead(inbox, { recipient, lastProviderMessageId: last });
      await provider.markRead(inbox, { recipient, lastProviderMessageId: null });
      await provider.typing(inbox, { recipient, isTyping: true, lastInboundProviderMessageId: last });
      await provider.typing(inbox, { recipient, isTyping: false, lastInboundProviderMessageId: last });
    });

    it("sends every media kind its capabilities list, within the limits", async () => {
      const kinds = Object.entries(subject.provider.capabilities(subject.inbox).media) as Array<[MediaMessageType, { mimeTypes: readonly string[] }]>;
      for (const [type, limits] of kinds) {
        const media = mediaOf(type, limits.mimeTypes[0] ?? "application/pdf");
        const receipt = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "media", type, media, caption: null }));
        expect(["sent", "delivered"]).toContain(receipt.status);
      }
      const delivered = (await subject.delivered()).filter((d) => d.kind === "media");
      expect(delivered.map((d) => d.kind === "media" && d.type)).toEqual(kinds.map(([type]) => type));
    });

    it("delivers a reply to a message it sent", async () => {
      const first = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "question?" }));
      await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "answer" }, first.providerMessageId));
      expect(await subject.delivered()).toContainEqual({ kind: "text", text: "answer" });
    });

    it("sends a reaction when its capabilities say so", async () => {
      if (!subject.provider.capabilities(subject.inbox).reactions) return;
      const target = await subject.provider.send(subject.inbox, message(subject.recipient, { kind: "text", body: "react to me" }));
      const receipt = await subject.provider.send(
        subject.inbox,
        message(subject.recipient, { kind: "reaction", emoji: "👍", targetProviderMessageId: target.providerMessageId ?? "unknown" }),
      );
      expect(["sent", "delivered"]).toContain(receipt.status);
    });
  });
}
