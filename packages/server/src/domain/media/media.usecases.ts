import { createHash } from "node:crypto";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { MessageMedia } from "../messages/message.ts";
import type { Store } from "../ports.ts";
import type { SecretTokens } from "../security.ts";
import { maxMediaBytes, type MediaStorage } from "./media.ts";

/** Storing and serving attachments. */
export function mediaUseCases({ store, storage, tokens }: { store: Store; storage: MediaStorage; tokens: SecretTokens }) {
  return {
    /**
     * Stores an attachment of a workspace and returns what a message references. The storage key
     * is random, never derived from the filename. Throws `media.too_large` (413) beyond
     * maxMediaBytes and `media.empty` (400) for no bytes.
     */
    async save(workspaceId: string, input: { bytes: Uint8Array; mime: string; filename: string | null }): Promise<MessageMedia> {
      if (input.bytes.byteLength === 0) throw new DomainError("media.empty", "The attachment is empty.", { field: "file" });
      if (input.bytes.byteLength > maxMediaBytes) throw new DomainError("media.too_large", `Attachments are limited to ${maxMediaBytes} bytes.`, { field: "file" });
      const id = newId();
      const storageKey = `${workspaceId}/${id}`;
      await storage.put(storageKey, input.bytes);
      const sha256 = createHash("sha256").update(input.bytes).digest("hex");
      const accessKey = tokens.issue("").token;
      await store.media.create({ id, workspaceId, storageKey, mime: input.mime, sizeBytes: input.bytes.byteLength, sha256, filename: input.filename, accessKey });
      return { id, mime: input.mime, sizeBytes: input.bytes.byteLength, filename: input.filename, accessKey };
    },

    /**
     * The attachment behind a capability URL. A wrong or missing key answers `media.not_found`
     * (404), exactly like an unknown id, so keys cannot be probed.
     */
    async open(id: string, accessKey: string): Promise<{ media: MessageMedia; bytes: Buffer }> {
      const found = await store.media.findById(id);
      if (!found || !tokens.matches(found.accessKey, accessKey)) throw notFound("media", "attachment");
      const bytes = await storage.read(found.storageKey);
      if (!bytes) throw notFound("media", "attachment");
      return { media: found, bytes };
    },
  };
}

export type MediaUseCases = ReturnType<typeof mediaUseCases>;
