/** WhatsApp Web session ports: leases and credentials (store/repositories/whatsapp-sessions.repository.ts). */

/** Which node runs a WhatsApp Web inbox's session, until when (the database's clock). */
export interface SessionLease {
  inboxId: string;
  ownerNode: string;
  expiresAt: Date;
}

/**
 * Leases of WhatsApp Web sessions (ARCHITECTURE.md, "Topology": each session is owned by exactly
 * one node at a time through a lease row the owner renews). Expiry is judged by the database's
 * clock, so nodes whose clocks differ still agree. Durations in ms.
 */
export interface SessionLeaseRepository {
  /**
   * Takes the inbox's session for `nodeId` for `ttlMs` when it is free, lapsed or already held
   * by `nodeId` (then it is extended). Race-safe: of nodes racing for one lease, one wins.
   * Returns true when `nodeId` holds it now.
   */
  acquire(inboxId: string, nodeId: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends by `ttlMs` every lease among `inboxIds` that `nodeId` still holds, in one statement;
   * returns those inbox ids. One missing from the answer was lost (it lapsed and another node
   * took it): the caller must stop that session at once.
   */
  renew(nodeId: string, inboxIds: string[], ttlMs: number): Promise<string[]>;
  /** Gives the lease up (a clean stop), so another node may take it at once. Only `nodeId`'s own. */
  release(inboxId: string, nodeId: string): Promise<void>;
  find(inboxId: string): Promise<SessionLease | null>;
  /** Up to `limit` WhatsApp Web inboxes whose session no node holds: never leased, or lapsed. */
  unowned(limit: number): Promise<string[]>;
}

/**
 * A WhatsApp Web session's credentials by key (Baileys' `creds` and signal keys, or
 * whatsapp-web.js' RemoteAuth archive), as sealed strings: callers seal and open them
 * (domain/whatsapp-web/session-credentials.ts).
 */
export interface SessionCredentialRepository {
  /** The sealed values of these keys (keys not stored are absent). */
  read(inboxId: string, keys: string[]): Promise<Map<string, string>>;
  /** Stores each key's sealed value, or deletes it for null, in one statement each. */
  write(inboxId: string, changes: Map<string, string | null>): Promise<void>;
  /** Forgets the session (a logout): the next start needs a new QR. */
  clear(inboxId: string): Promise<void>;
}
