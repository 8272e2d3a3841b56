/** Where attachment bytes live (local disk today; an object store later). Keys are opaque. */
export interface MediaStorage {
  /** Stores the bytes under `key`; resolves once they are durable. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  read(key: string): Promise<Buffer | null>;
}

/** Largest attachment accepted, in bytes (WhatsApp's own ceiling for documents is 100 MB). */
export const maxMediaBytes = 100 * 1024 * 1024;
