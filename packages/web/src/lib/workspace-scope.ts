import type { User } from "./types.ts";

/**
 * The workspace a feature store works in and the agent working there. The app layer hands it to
 * every workspace store when a workspace opens (`store.reset(scope)`), so no store reads the
 * session (or any other store) itself. Null until a workspace is open.
 */
export interface WorkspaceScope {
  workspaceId: string;
  /** The signed-in agent: who "me" is in filters, and the sender of optimistic messages. */
  me: Pick<User, "id" | "name">;
}
