/**
 * Loads TypeScript for `npm run bench` (and the servers the fan-out benchmark starts) the way the
 * production bundle is compiled (packages/server/build.mjs: esbuild without `keepNames`), so the
 * figures are those of the code `npm start` runs. tsx compiles with `keepNames`, which wraps every
 * named function and closure in `__name(fn, "name")`: an `Object.defineProperty` at each creation
 * and a 256-byte property dictionary on each such closure (measured in a heap snapshot of idle
 * connections). Only `.ts` files are compiled (imports in this repository name their `.ts`
 * extension); worker threads register tsx themselves (the *.worker.mjs entries).
 */
import { register } from "node:module";

register("./production-ts-hooks.mjs", import.meta.url);
