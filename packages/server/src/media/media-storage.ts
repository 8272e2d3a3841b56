import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { MediaStorage } from "../domain/media/media.ts";

/**
 * Attachments as files under `root` (e.g. DATA_DIR/media). Written to a temporary name and
 * renamed, so a crash never leaves a half-written file under the real key. Keys may contain
 * "/" but never escape `root` (throws Error for such a key).
 */
export function diskMediaStorage(root: string): MediaStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(join(base, key));
    if (!path.startsWith(base + sep)) throw new Error(`media key escapes the storage root: ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.partial`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

/** Attachments in memory, for an in-memory database (tests, benchmarks). */
export function memoryMediaStorage(): MediaStorage {
  const files = new Map<string, Buffer>();
  return {
    async put(key, bytes) {
      files.set(key, Buffer.from(bytes));
    },
    async read(key) {
      return files.get(key) ?? null;
    },
  };
}
