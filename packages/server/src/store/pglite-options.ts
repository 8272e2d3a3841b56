/**
 * How the embedded PostgreSQL (PGlite) is opened: its memory settings, and the creation of a new
 * data directory in a child process. PGlite runs PostgreSQL inside the Node process's own memory
 * (WebAssembly), so every buffer PostgreSQL reserves is the node's resident memory.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * PostgreSQL settings added to PGlite's own start parameters. `shared_buffers` 16 MB instead of
 * initdb's 128 MB, and `max_connections` 8 instead of 100 (PGlite has one backend; the per-backend
 * slots are shared memory too): measured on an embedded node just started, RSS 479 → 319 MB. The
 * operating system's page cache still holds the data files, so a database larger than the buffer
 * pool is read from memory, not disk.
 *
 * `wal_init_zero` off: PostgreSQL otherwise writes 16 MB of zeros into each new WAL segment, on
 * the node's event loop. In a `memory://` database that held one statement in every 16 MB of
 * WAL for up to 263 ms (the in-memory file grows by copying); measured over 6,000 12-row updates
 * of a 20,000-row table (47 MB of WAL): max 263 → 12 ms, mean 1.23 → 0.93 ms. On a data
 * directory on disk the zeros cost little (max 15 vs 12 ms) and skipping them is harmless: the
 * segment is written before it is read.
 */
export const pgliteSettings = { shared_buffers: "16MB", max_connections: "8", wal_init_zero: "off" } as const;

/** PGlite's default start parameters (single-user mode, no parallel workers) plus `pgliteSettings`. */
export function pgliteStartParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
  return [...defaults, ...Object.entries(pgliteSettings).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}

/**
 * Creates a PGlite data directory that does not exist yet (initdb) in a child process, so the
 * ~600 MB initdb touches is returned to the system when it exits instead of staying resident in
 * the node for its whole life. Does nothing for a directory that holds a database already.
 * Rejects with the child's output when initdb fails.
 */
export async function initializePgliteDirectory(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, "PG_VERSION"))) return;
  const moduleUrl = import.meta.resolve("@electric-sql/pglite");
  const script = `const { PGlite } = await import(${JSON.stringify(moduleUrl)}); const db = await PGlite.create(process.argv[1]); await db.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, dataDir], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`Creating the embedded database in ${dataDir} failed (exit ${code}): ${stderr.trim().slice(-2000)}`);
}
