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

/** Encrypts secrets kept at rest (AES-256-GCM in security/secret-box.ts). */
export interface SecretSealer {
  /** The sealed (encrypted, self-describing) text of `plaintext`. */
  seal(plaintext: string): string;
  /** The plaintext of a sealed value. Throws when it was tampered with or sealed with another key. */
  open(sealed: string): string;
}
