/** Password hashing (argon2id in security/passwords.ts). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for those. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** Opaque bearer secrets: only their hash is stored. */
export interface SecretTokens {
  /** A new random token with a readable prefix (e.g. "pat_") and the hash to store. */
  issue(prefix: string): { token: string; hash: string };
  /** The hash stored for `token` (deterministic, so it can be looked up). */
  hash(token: string): string;
  /** Constant-time equality of two secrets (false for different lengths). */
  matches(expected: string, given: string): boolean;
}

/**
 * Encryption of secrets kept at rest (provider tokens, app secrets, session credentials), so a
 * database dump alone does not reveal them. Implemented by security/secret-box.ts (AES-256-GCM).
 */
export interface SecretSealer {
  /** A self-describing, versioned ciphertext of `plaintext`; different on every call. */
  seal(plaintext: string): string;
  /** The plaintext of a `seal` result; throws when it was altered or sealed with another key. */
  open(sealed: string): string;
}
