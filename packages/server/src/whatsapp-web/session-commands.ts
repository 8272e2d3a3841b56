/**
 * Admins' commands to a WhatsApp Web session, from whichever node served the request: run here
 * when this node holds the session, otherwise handed to the session's own queue
 * (`whatsapp.session`), which only its owner works, and waited for: the admin learns whether it
 * happened (the inbox's status events then report the session's progress).
 */
import { DomainError } from "../domain/errors.ts";
import type { SessionTask } from "../domain/jobs.ts";
import type { InboxSessionControl } from "../domain/whatsapp-web/inbox-sessions.usecases.ts";
import type { SessionRuntime } from "./session-runtime.ts";

/** The job queue as the commands use it (jobs/pg-boss.ts). */
export interface SessionCommandQueue {
  /** Adds a task and waits for its result; throws when it failed or took longer than `timeoutMs`. */
  request(inboxId: string, task: SessionTask, timeoutMs: number): Promise<unknown>;
  /** Deletes an inbox's queue with what waits in it. */
  delete(inboxId: string): Promise<void>;
}

/** How long a command asked of another node is waited for, in ms (a whatsapp-web.js restart launches Chromium). */
export const commandTimeoutMs = 20_000;

/** The `InboxSessionControl` the use cases call, over this node's runtime and the inboxes' queues. */
export function routedSessionControl(runtime: SessionRuntime, queue: SessionCommandQueue): InboxSessionControl {
  /** Takes the session if no node holds it (a new inbox, a node that just died), then says whether it runs here. */
  const here = async (inboxId: string): Promise<boolean> => {
    if (runtime.runsSession(inboxId)) return true;
    await runtime.round();
    return runtime.runsSession(inboxId);
  };
  /** Runs a task on the session's owner and waits; its failure or silence is `inboxes.not_connected` (409). */
  const elsewhere = async (inboxId: string, task: SessionTask): Promise<unknown> => {
    try {
      return await queue.request(inboxId, task, commandTimeoutMs);
    } catch (error) {
      throw new DomainError(
        "inboxes.not_connected",
        `The node running this WhatsApp session did not do it: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  return {
    round: () => runtime.round(),
    engineFor: (inboxId) => runtime.engineFor(inboxId),
    async restart(inboxId) {
      if (await here(inboxId)) await runtime.restart(inboxId);
      else await elsewhere(inboxId, { kind: "restart" });
    },
    async logout(inboxId) {
      if (await here(inboxId)) await runtime.logout(inboxId);
      else await elsewhere(inboxId, { kind: "logout" });
    },
    async requestPairingCode(inboxId, phoneNumber) {
      if (await here(inboxId)) return runtime.requestPairingCode(inboxId, phoneNumber);
      const result = (await elsewhere(inboxId, { kind: "pairing_code", phoneNumber })) as { code?: unknown } | null;
      if (typeof result?.code !== "string") throw new DomainError("inboxes.not_connected", "The node running this WhatsApp session gave no pairing code.");
      return result.code;
    },
    deleteQueue: (inboxId) => queue.delete(inboxId),
  };
}
