import type { SessionCredentialRepository } from "../ports.ts";
import type { SecretSealer } from "../security.ts";

/**
 * One WhatsApp Web session's credentials as plaintext strings by key, sealed at rest: what an
 * engine's auth-state adapter (Baileys' `creds` and signal keys, whatsapp-web.js' RemoteAuth
 * archive) reads and writes. Engines serialise their own values (Baileys with its BufferJSON).
 */
export interface SessionCredentials {
  /** The values of these keys (keys never stored are absent). Throws when a value was sealed with another key or altered. */
  get(keys: string[]): Promise<Map<string, string>>;
  /** Stores each value, or forgets the key for null. */
  set(changes: Map<string, string | null>): Promise<void>;
  /** Forgets the whole session (logout): the next start shows a new QR. */
  clear(): Promise<void>;
}

/** The credentials of `inboxId`, sealed with `sealer` (AES-256-GCM, security/secret-box.ts). */
export function sessionCredentials(repository: SessionCredentialRepository, sealer: SecretSealer, inboxId: string): SessionCredentials {
  return {
    async get(keys) {
      const sealed = await repository.read(inboxId, keys);
      return new Map([...sealed].map(([key, value]) => [key, sealer.open(value)]));
    },
    async set(changes) {
      await repository.write(inboxId, new Map([...changes].map(([key, value]) => [key, value === null ? null : sealer.seal(value)])));
    },
    clear: () => repository.clear(inboxId),
  };
}
