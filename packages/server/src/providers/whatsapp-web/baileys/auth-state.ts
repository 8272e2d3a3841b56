/**
 * Baileys' `AuthenticationState` (its `creds` and its signal key store) kept in Parley's sealed
 * `SessionCredentials` instead of the files of Baileys' `useMultiFileAuthState` (a demo, its own
 * docs say). The layout follows that demo: the creds under `creds`, each signal key under
 * `${type}-${id}`, every value serialised with Baileys' `BufferJSON` so its Buffers survive.
 */
import { type AuthenticationCreds, type AuthenticationState, BufferJSON, initAuthCreds, proto, type SignalDataTypeMap } from "baileys";
import type { SessionCredentials } from "../../../domain/whatsapp-web/session-credentials.ts";

const credsKey = "creds";

/** An auth state and the function that persists its `creds` (call it on every `creds.update`). */
export interface BaileysAuthState {
  state: AuthenticationState;
  /** Writes the current `state.creds` (Baileys mutates that object in place before `creds.update`). */
  saveCreds(): Promise<void>;
}

/**
 * The auth state stored in `credentials`, or fresh creds (`initAuthCreds`, a new device that
 * will show a QR) when none are stored. Throws when a stored value cannot be opened or parsed.
 */
export async function loadBaileysAuthState(credentials: SessionCredentials): Promise<BaileysAuthState> {
  const stored = (await credentials.get([credsKey])).get(credsKey);
  const creds: AuthenticationCreds = stored === undefined ? initAuthCreds() : JSON.parse(stored, BufferJSON.reviver);
  const state: AuthenticationState = {
    creds,
    keys: {
      async get<Type extends keyof SignalDataTypeMap>(type: Type, ids: string[]) {
        const values = await credentials.get(ids.map((id) => `${type}-${id}`));
        const found: { [id: string]: SignalDataTypeMap[Type] } = {};
        for (const id of ids) {
          const raw = values.get(`${type}-${id}`);
          if (raw === undefined) continue;
          const value: SignalDataTypeMap[Type] = JSON.parse(raw, BufferJSON.reviver);
          // Baileys reads app-state keys as protobuf objects, not plain JSON (useMultiFileAuthState does the same).
          found[id] =
            type === "app-state-sync-key" ? (proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[Type]) : value;
        }
        return found;
      },
      async set(data) {
        const changes = new Map<string, string | null>();
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            changes.set(`${type}-${id}`, value === null || value === undefined ? null : JSON.stringify(value, BufferJSON.replacer));
          }
        }
        if (changes.size > 0) await credentials.set(changes);
      },
    },
  };
  return {
    state,
    saveCreds: () => credentials.set(new Map([[credsKey, JSON.stringify(state.creds, BufferJSON.replacer)]])),
  };
}
