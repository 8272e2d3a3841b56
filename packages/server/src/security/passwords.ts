import argon2 from "argon2";
import type { PasswordHasher } from "../domain/security.ts";

/**
 * argon2id with the library's defaults (m = 64 MiB, t = 3, p = 4), which meet OWASP's
 * password-storage recommendation.
 */
export const argon2Passwords: PasswordHasher = {
  hash: (password) => argon2.hash(password, { type: argon2.argon2id }),
  async verify(hash, password) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};
