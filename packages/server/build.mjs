// Bundles the server (src/cli.ts) into dist/, so `npm start` loads plain JavaScript: no
// TypeScript compiled at every start (tsx remains for tests and `npm run parley`). Dependencies
// stay in node_modules; Parley's own workspace packages (@parley/protocol, TypeScript sources)
// are bundled in. The WhatsApp engines stay in chunks of their own, loaded on a node's first
// session of their kind. Migrations are copied beside the bundle, where the database code looks.
import { build } from "esbuild";
import { cpSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "dist");

/** Every bare import is a dependency left in node_modules, except Parley's own packages. */
const dependenciesExternal = {
  name: "dependencies-external",
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@parley/") ? undefined : { path: args.path, external: true }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(here, "src", "cli.ts")],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  plugins: [dependenciesExternal],
  logLevel: "warning",
});
cpSync(join(here, "src", "store", "migrations"), join(outdir, "migrations"), { recursive: true });
console.log(`server: ${join(outdir, "cli.js")}`);
