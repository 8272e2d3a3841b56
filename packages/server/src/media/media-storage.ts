import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { ByteRange, MediaStorage } from "../domain/media/media.ts";

/**
 * Attachments as files under `root` (e.g. DATA_DIR/media). Written to a temporary name and
 * renamed, so a crash or a failed upload never leaves a half-written file under the real key.
 * Keys may contain "/" but never escape `root` (throws Error for such a key).
 */
export function diskMediaStorage(root: string): MediaStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(join(base, key));
    if (!path.startsWith(base + sep)) throw new Error(`media key escapes the storage root: ${key}`);
    return path;
  };
  const missingIsNull = <T>(error: unknown): T | null => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  };
  return {
    async put(key, content) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.partial`;
      try {
        await writeFile(temporary, content);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async read(key) {
      return readFile(pathOf(key)).catch(missingIsNull<Buffer>);
    },
    async stat(key) {
      const found = await stat(pathOf(key)).catch(missingIsNull<{ size: number }>);
      return found ? { sizeBytes: found.size } : null;
    },
    createReadStream(key, range) {
      return createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/** Attachments in memory, for an in-memory database (tests, benchmarks). */
export function memoryMediaStorage(): MediaStorage {
  const files = new Map<string, Buffer>();
  const slice = (bytes: Buffer, range: ByteRange | undefined) => (range ? bytes.subarray(range.start, range.end + 1) : bytes);
  return {
    async put(key, content) {
      if (content instanceof Uint8Array) {
        files.set(key, Buffer.from(content));
        return;
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of content) chunks.push(chunk);
      files.set(key, Buffer.concat(chunks));
    },
    async read(key) {
      return files.get(key) ?? null;
    },
    async stat(key) {
      const bytes = files.get(key);
      return bytes ? { sizeBytes: bytes.byteLength } : null;
    },
    createReadStream(key, range) {
      const bytes = files.get(key);
      return (async function* () {
        if (!bytes) throw new Error(`no media under ${key}`);
        yield slice(bytes, range);
      })();
    },
    async delete(key) {
      files.delete(key);
    },
  };
}
