import type { ClientFrame } from "@parley/protocol";
import type { Connection } from "../connection.ts";
import type { RealtimeContext } from "../context.ts";

/** Handles one parsed client frame. May be async; frames of a connection are handled in order. */
export type FrameHandler = (ctx: RealtimeContext, conn: Connection, frame: ClientFrame) => void | Promise<void>;
