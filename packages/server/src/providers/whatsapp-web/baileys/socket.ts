/**
 * The part of Baileys' socket (`WASocket`, what `makeWASocket` returns) the engine uses, named
 * once so the real socket and the test fake (fake-socket.ts) are checked against the library's
 * own types: a method Parley starts to use must be added here, and the fake stops compiling
 * until it has it.
 */
import type { BaileysEventEmitter, UserFacingSocketConfig, WAMessage, WASocket } from "baileys";

/** The socket methods and fields the engine calls, with Baileys' own signatures. */
export type BaileysSocket = Pick<
  WASocket,
  "user" | "sendMessage" | "readMessages" | "sendPresenceUpdate" | "requestPairingCode" | "groupMetadata" | "updateMediaMessage" | "logout" | "end"
> & {
  /** Baileys' event emitter (the real one also buffers; the engine only listens). */
  ev: BaileysEventEmitter;
};

/** Opens a socket: Baileys' `makeWASocket`, or a fake in tests. */
export type MakeBaileysSocket = (config: UserFacingSocketConfig) => BaileysSocket;

/**
 * Fetches and decrypts a media message's bytes: Baileys' `downloadMediaMessage` (which asks the
 * phone to re-upload expired media through `socket.updateMediaMessage`), or a fake in tests.
 * Throws like Baileys does (a Boom with the HTTP status) when WhatsApp refuses.
 */
export type DownloadBaileysMedia = (message: WAMessage, socket: BaileysSocket) => Promise<Uint8Array>;
