import { createHash } from "node:crypto";
import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { MessageMedia } from "../messages/message.ts";
import type { Store } from "../ports.ts";
import type { SecretTokens } from "../security.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import { type ByteRange, type MediaStorage, maxMediaBytes, maxVisitorMediaBytes, mediaTooLarge } from "./media.ts";
import { sniffBytes, uploadMime } from "./sniff.ts";

/** Who may upload into which workspace, and how much: the result of an authorisation. */
export interface UploadGrant {
  workspaceId: string;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
}

/** An upload as it arrives from a client: the type and name are the client's claims. */
export interface UploadInput {
  /** The bytes, streamed (an HTTP upload) or whole. */
  content: Uint8Array | AsyncIterable<Uint8Array>;
  /** The Content-Type the client declared; used only when the bytes' signature names none. */
  declaredMime: string | null;
  filename: string | null;
}

/** An attachment opened through its capability URL. */
export interface OpenedMedia {
  media: MessageMedia;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** Size in bytes of the stored bytes. */
  sizeBytes: number;
  /** The bytes, or `range` of them, streamed from storage. */
  stream(range?: ByteRange): AsyncIterable<Uint8Array>;
}

export interface MediaDependencies {
  store: Store;
  /** Where the bytes go (media/media-storage.ts: disk, or memory in tests). */
  storage: MediaStorage;
  /** Makes the random access keys of capability URLs and compares them in constant time. */
  tokens: SecretTokens;
}

/**
 * Streams `content` into storage under a random key (never derived from the filename), with
 * its SHA-256 and size counted on the way, then records it. Nothing is kept when the content
 * is empty (`media.empty`, 400), passes `maxBytes` (`media.too_large`, 413) or fails.
 * Storage is not transactional, so the order is the guarantee: bytes first, then the row, and
 * the bytes deleted when the row fails. A row never names missing bytes; a crash between the
 * two leaves only unreferenced bytes.
 */
async function storeContent(
  deps: MediaDependencies,
  workspaceId: string,
  content: UploadInput["content"],
  options: { maxBytes: number; mime: (head: Uint8Array) => string; filename: string | null },
): Promise<MessageMedia> {
  const id = newId();
  const storageKey = `${workspaceId}/${id}`;
  const hash = createHash("sha256");
  let sizeBytes = 0;
  let head = new Uint8Array(0);
  async function* measured(): AsyncGenerator<Uint8Array> {
    for await (const chunk of content instanceof Uint8Array ? [content] : content) {
      sizeBytes += chunk.byteLength;
      if (sizeBytes > options.maxBytes) throw mediaTooLarge(options.maxBytes);
      if (head.byteLength < sniffBytes) head = Uint8Array.from([...head, ...chunk.subarray(0, sniffBytes - head.byteLength)]);
      hash.update(chunk);
      yield chunk;
    }
    if (sizeBytes === 0) throw new DomainError("media.empty", "The attachment is empty.", { field: "file" });
  }
  await deps.storage.put(storageKey, measured());
  const media: MessageMedia = { id, mime: options.mime(head), sizeBytes, filename: options.filename, accessKey: deps.tokens.issue("").token };
  try {
    await deps.store.media.create({ ...media, workspaceId, storageKey, sha256: hash.digest("hex") });
  } catch (error) {
    await deps.storage.delete(storageKey).catch(() => {});
    throw error;
  }
  return media;
}

/** An attachment whose type is known, e.g. a provider's inbound media. */
export interface KnownMedia {
  bytes: Uint8Array | AsyncIterable<Uint8Array>;
  mime: string;
  filename: string | null;
}

/**
 * Stores an attachment whose type is known (a provider's inbound media: Meta states the
 * `mime_type`) and returns what a message references. Throws `media.too_large` (413) beyond
 * maxMediaBytes and `media.empty` (400) for no bytes; nothing is stored then.
 */
export async function saveMedia(deps: MediaDependencies, workspaceId: string, input: KnownMedia): Promise<MessageMedia> {
  return storeContent(deps, workspaceId, input.bytes, { maxBytes: maxMediaBytes, mime: () => input.mime, filename: input.filename });
}

/**
 * May this member upload attachments (to send them)? Throws `auth.forbidden` (403) for a
 * role without `messages.send` and `inboxes.not_found` (404) for an `inboxId` that is not
 * the workspace's. The limit is maxMediaBytes for now; per-provider limits (a Cloud API
 * image is at most 5 MB) are checked when the attachment is sent through `inboxId`'s
 * provider.
 */
export async function authorizeMemberUpload(deps: MediaDependencies, membership: Membership, options: { inboxId?: string } = {}): Promise<UploadGrant> {
  requirePermission(membership, "messages.send");
  if (options.inboxId !== undefined && !(await deps.store.inboxes.findById(membership.workspace.id, options.inboxId))) throw notFound("inboxes");
  return { workspaceId: membership.workspace.id, maxBytes: maxMediaBytes };
}

/** A website visitor's uploads go to the widget's workspace, up to maxVisitorMediaBytes. */
export function authorizeVisitorUpload(visitor: { session: { workspaceId: string } }): UploadGrant {
  return { workspaceId: visitor.session.workspaceId, maxBytes: maxVisitorMediaBytes };
}

/**
 * Stores a client's upload under `grant`. The MIME type comes from the bytes' signature
 * (sniff.ts), else the declared type; the filename is cleaned by the caller. Throws
 * `media.too_large` (413) beyond `grant.maxBytes` and `media.empty` (400); nothing is
 * stored then.
 */
export async function uploadMedia(deps: MediaDependencies, grant: UploadGrant, input: UploadInput): Promise<MessageMedia> {
  return storeContent(deps, grant.workspaceId, input.content, {
    maxBytes: grant.maxBytes,
    mime: (head) => uploadMime(head, input.declaredMime),
    filename: input.filename,
  });
}

/**
 * The attachment behind a capability URL. A wrong or missing key answers `media.not_found`
 * (404), exactly like an unknown id, so keys cannot be probed; so do bytes missing from
 * storage.
 */
export async function openMedia(deps: MediaDependencies, id: string, accessKey: string): Promise<OpenedMedia> {
  const found = await deps.store.media.findById(id);
  if (!found || !deps.tokens.matches(found.accessKey, accessKey)) throw notFound("media", "attachment");
  const stored = await deps.storage.stat(found.storageKey);
  if (!stored) throw notFound("media", "attachment");
  const media: MessageMedia = { id: found.id, mime: found.mime, sizeBytes: found.sizeBytes, filename: found.filename, accessKey: found.accessKey };
  return { media, sha256: found.sha256, sizeBytes: stored.sizeBytes, stream: (range) => deps.storage.createReadStream(found.storageKey, range) };
}

/** Storing and serving attachments, bound to their dependencies for the routes. */
export function mediaUseCases(deps: MediaDependencies) {
  return {
    save: (workspaceId: string, input: KnownMedia) => saveMedia(deps, workspaceId, input),
    authorizeMemberUpload: (membership: Membership, options: { inboxId?: string } = {}) => authorizeMemberUpload(deps, membership, options),
    authorizeVisitorUpload,
    upload: (grant: UploadGrant, input: UploadInput) => uploadMedia(deps, grant, input),
    open: (id: string, accessKey: string) => openMedia(deps, id, accessKey),
  };
}

export type MediaUseCases = ReturnType<typeof mediaUseCases>;
