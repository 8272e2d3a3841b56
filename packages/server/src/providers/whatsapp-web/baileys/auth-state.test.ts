import { BufferJSON, initAuthCreds, proto } from "baileys";
import { describe, expect, it } from "vitest";
import { memoryCredentials } from "../engine.contract.ts";
import { loadBaileysAuthState } from "./auth-state.ts";

describe("Baileys auth state on session credentials", () => {
  it("starts with fresh creds when nothing is stored, and stores nothing until told to", async () => {
    const credentials = memoryCredentials();
    const { state } = await loadBaileysAuthState(credentials);
    expect(state.creds.registered).toBe(false);
    expect(state.creds.noiseKey.private).toBeInstanceOf(Uint8Array);
    expect(credentials.stored.size).toBe(0);
  });

  it("brings back the saved creds, Buffers included, in a new process", async () => {
    const credentials = memoryCredentials();
    const first = await loadBaileysAuthState(credentials);
    first.state.creds.me = { id: "6281100001111:7@s.whatsapp.net", name: "Toko" };
    await first.saveCreds();
    expect([...credentials.stored.keys()]).toEqual(["creds"]);

    const again = await loadBaileysAuthState(credentials);
    expect(again.state.creds.me).toEqual({ id: "6281100001111:7@s.whatsapp.net", name: "Toko" });
    expect(Buffer.from(again.state.creds.noiseKey.private)).toEqual(Buffer.from(first.state.creds.noiseKey.private));
    expect(again.state.creds.signedIdentityKey.public).toBeInstanceOf(Uint8Array);
  });

  it("keeps signal keys under <type>-<id>, forgets one set to null, and returns app-state keys as protobuf objects", async () => {
    const credentials = memoryCredentials();
    const { state } = await loadBaileysAuthState(credentials);
    const preKey = { public: Buffer.from([1, 2, 3]), private: Buffer.from([4, 5, 6]) };
    await state.keys.set({
      "pre-key": { "1": preKey, "2": preKey },
      session: { "6281222223333.0": Buffer.from([9, 9]) },
      "app-state-sync-key": { AAA: { keyData: Buffer.from([7]), timestamp: 5 } },
    });
    expect([...credentials.stored.keys()].sort()).toEqual(["app-state-sync-key-AAA", "pre-key-1", "pre-key-2", "session-6281222223333.0"]);

    const reloaded = (await loadBaileysAuthState(credentials)).state.keys;
    const preKeys = await reloaded.get("pre-key", ["1", "3"]);
    expect(Object.keys(preKeys)).toEqual(["1"]);
    expect(Buffer.from(preKeys["1"]!.private)).toEqual(preKey.private);
    expect(Buffer.from((await reloaded.get("session", ["6281222223333.0"]))["6281222223333.0"]!)).toEqual(Buffer.from([9, 9]));
    const appState = (await reloaded.get("app-state-sync-key", ["AAA"])).AAA;
    expect(appState).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appState!.keyData!)).toEqual(Buffer.from([7]));

    await reloaded.set({ "pre-key": { "1": null } });
    expect(await reloaded.get("pre-key", ["1", "2"])).toHaveProperty("2");
    expect(credentials.stored.has("pre-key-1")).toBe(false);
  });

  it("writes values Baileys' own BufferJSON reads back", async () => {
    const credentials = memoryCredentials();
    const { saveCreds } = await loadBaileysAuthState(credentials);
    await saveCreds();
    const parsed = JSON.parse(credentials.stored.get("creds")!, BufferJSON.reviver);
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(JSON.parse(JSON.stringify(initAuthCreds(), BufferJSON.replacer))).sort());
  });
});
