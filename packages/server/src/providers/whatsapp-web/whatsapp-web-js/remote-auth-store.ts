/**
 * The `Store` whatsapp-web.js' RemoteAuth keeps a session in (`index.d.ts` `Store`;
 * `src/authStrategies/RemoteAuth.js`), on Parley's sealed `SessionCredentials`: the zipped
 * Chromium profile as base64 under one key, so whichever node owns the inbox next extracts it and
 * resumes without a QR.
 *
 * RemoteAuth's protocol, which fixes the file paths: after it zips the profile to
 * `<dataPath>/<session>.zip` it calls `save({session})` (no path: the store must know
 * `dataPath`); before launching Chromium it calls `sessionExists` then `extract({session, path})`
 * and unzips what the store wrote at `path`; on logout, and on a disconnect for any state it does
 * not accept, it calls `delete`.
 *
 * `delete` keeps the archive: the engine forgets the credentials itself when the session is
 * really logged out (engine.ts). RemoteAuth also deletes on CONFLICT, which is what a node sees
 * when the inbox's lease passed to another node that resumed the same session: deleting there
 * would wipe the session the new owner just resumed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "whatsapp-web.js";
import type { SessionCredentials } from "../../../domain/whatsapp-web/session-credentials.ts";

/** The credentials key of the session archive (base64 of the zip). */
export const remoteAuthArchiveKey = "whatsapp-web.js:remote-auth.zip";

/**
 * A RemoteAuth store over one inbox's `credentials`. `dataPath` is the directory given to
 * RemoteAuth (its zip is read from there). Errors of the credential store (a value sealed with
 * another key, the database down) propagate to RemoteAuth.
 */
export function remoteAuthStore(credentials: SessionCredentials, dataPath: string): Store {
  // One inbox is one session: the session name (`RemoteAuth-<clientId>`) only names the zip file.
  return {
    async sessionExists() {
      return (await credentials.get([remoteAuthArchiveKey])).has(remoteAuthArchiveKey);
    },
    async save({ session }) {
      const archive = await readFile(join(dataPath, `${session}.zip`));
      await credentials.set(new Map([[remoteAuthArchiveKey, archive.toString("base64")]]));
    },
    async extract({ path }) {
      const archive = (await credentials.get([remoteAuthArchiveKey])).get(remoteAuthArchiveKey);
      if (archive === undefined) throw new Error("No stored WhatsApp Web session to extract.");
      await writeFile(path, Buffer.from(archive, "base64"));
    },
    delete() {},
  };
}
