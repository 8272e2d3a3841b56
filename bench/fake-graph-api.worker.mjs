// A worker's entry cannot be TypeScript on Node 20 (loader hooks from --import do not reach it
// in time): register tsx here, then load the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./fake-graph-api.worker.ts");
