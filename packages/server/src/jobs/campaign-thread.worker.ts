/**
 * The campaign thread (jobs/campaign-thread.ts): runs the dispatches the main thread posts, on a
 * pool of its own, and posts back each one's outcome and the events to publish. Started from
 * campaign-thread.worker.mjs (sources) or as the bundle's `campaign-thread.worker.js` entry.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { systemClock } from "../domain/clock.ts";
import { dispatchCampaign } from "../domain/campaigns/dispatch.ts";
import { PendingOutcomeWrites } from "../domain/campaigns/outcome-writes.ts";
import type { EventPublisher } from "../domain/events.ts";
import { providerDirectory } from "../providers/directory.ts";
import { createWhatsAppCloudProvider } from "../providers/whatsapp-cloud/provider.ts";
import { liveWork, liveWorkMaxWaitMs } from "../live-work.ts";
import { createSecretBox } from "../security/secret-box.ts";
import { runAsBackgroundDatabaseWork } from "../store/database-priority.ts";
import { openDatabase } from "../store/database.ts";
import { createStore } from "../store/store.ts";
import type { CampaignThreadData, CampaignThreadMessage, CampaignThreadRequest } from "./campaign-thread.ts";
import { schedulingOnlyJobs } from "./scheduler.ts";
import { wakeChannel } from "./wake-listener.ts";

const port = parentPort!;
const data = workerData as CampaignThreadData;
const post = (message: CampaignThreadMessage) => port.postMessage(message);

lowerPriority(data.nice);
// Live work is the main thread's: this thread's campaign statements and sends wait for it there.
liveWork.follow(data.liveWork);
const database = await openDatabase({ databaseUrl: data.databaseUrl, dataDir: "memory://", poolSize: data.poolSize });
const store = createStore(database.db, { jobs: schedulingOnlyJobs(data.jobSchema, wakeChannel(data.jobSchema)) });
const events: EventPublisher = {
  // The main thread publishes them (real-time, campaign progress); nothing here waits on that.
  publish: async (list) => post({ type: "events", events: list }),
};
// Outcomes are written a few at a time here too (OUTCOME_COALESCE_MS, passed in the settings);
// the main thread asks for them (`settle`) before it applies acks.
const outcomeWrites = new PendingOutcomeWrites();
const dependencies = {
  store,
  events,
  clock: systemClock,
  // WhatsApp Web campaigns send through their session, which lives on the main thread: without
  // `runsSession` every such dispatch is handed to the session's queue (dispatch.ts), so only the
  // Cloud API provider is needed here.
  providers: providerDirectory([
    createWhatsAppCloudProvider({
      ...(data.cloudSendsPerSecond === undefined ? {} : { rateLimitPerSecond: data.cloudSendsPerSecond }),
      sharedRateMemory: data.cloudSendRates,
    }),
  ]),
  sealer: createSecretBox(Buffer.from(data.secretKey)),
  settings: data.campaignSettings,
  outcomeWrites,
  giveWay: () => liveWork.quiet(liveWorkMaxWaitMs),
};
const running = new Set<Promise<void>>();

port.on("message", (request: CampaignThreadRequest) => {
  if (request.type === "stop") {
    void stop();
    return;
  }
  if (request.type === "settle") {
    void outcomeWrites.settled().then(() => post({ type: "settled", id: request.id }));
    return;
  }
  // Its statements start between the main thread's live work (store/database-priority.ts).
  const run = runAsBackgroundDatabaseWork(() => dispatchCampaign(dependencies, request.job)).then(
    (outcome) => post({ type: "done", id: request.id, outcome }),
    (error: unknown) =>
      post({
        type: "failed",
        id: request.id,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      }),
  );
  running.add(run);
  void run.finally(() => running.delete(run));
});

/** Closes the pool (dispatches still running fail on their next statement, as at a crash) and ends the thread. */
async function stop(): Promise<void> {
  await database.close().catch(() => {});
  await Promise.allSettled(running);
  post({ type: "stopped" });
  port.close();
}

/**
 * Asks Linux to run this thread behind the main thread: setpriority(2) on a thread id changes
 * that thread alone, and /proc/thread-self names it ("{pid}/task/{tid}"). Raising the nice value
 * needs no privilege. Elsewhere, or when refused, the thread runs at the process's priority.
 */
function lowerPriority(nice: number): void {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, nice);
  } catch (error) {
    post({ type: "warning", message: `The campaign thread runs at the main thread's priority: ${error instanceof Error ? error.message : String(error)}` });
  }
}
