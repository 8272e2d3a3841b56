// The campaign thread's entry when Parley runs from its sources (tests, `npm run parley`): a
// worker's entry cannot be TypeScript on Node 20 (loader hooks from --import do not reach it in
// time), so register tsx here, then load the thread itself. The bundle has a JavaScript entry.
import { register } from "tsx/esm/api";

register();
await import("./campaign-thread.worker.ts");
