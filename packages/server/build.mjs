// Bundles the server (src/cli.ts) and its JavaScript dependencies into dist/, so `npm start` loads
// a few files of plain JavaScript: no TypeScript compiled at every start (tsx remains for tests and
// `npm run parley`), and no thousand-file walk through node_modules (about 0.3 s of every start).
// Left in node_modules, loaded from there: native addons, packages that find their own files
// through import.meta.url (PGlite's WebAssembly), and the WhatsApp Web libraries, which load on a
// node's first session of their kind from chunks of their own. Migrations and the Redis heartbeat
// thread's script are copied beside the bundle, where the code looks for them; the campaign
// thread is a second entry of the bundle, sharing its chunks.
import { build } from "esbuild";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "dist");

/**
 * Packages kept out of the bundle: argon2 (a native addon), PGlite (its .wasm and .data files
 * beside its modules), the WhatsApp Web engines (large, loaded only when a session needs them,
 * with their own native and browser dependencies) and pg-native (optional, never installed).
 */
const keptInNodeModules = new Set(["argon2", "@electric-sql/pglite", "baileys", "whatsapp-web.js", "puppeteer", "puppeteer-core", "pg-native"]);

const packageName = (path) => (path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]);

const dependencies = {
  name: "dependencies",
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("node:") || !keptInNodeModules.has(packageName(args.path)) ? undefined : { path: args.path, external: true },
    );
    // A bundled CommonJS module that reads files beside itself (e.g. @fastify/swagger's
    // package.json) still finds them: its __dirname and __filename name its place in node_modules,
    // relative to the bundle, not the bundle's own folder.
    context.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const fromBundle = (path) => JSON.stringify(relative(outdir, path).split("\\").join("/"));
      return {
        contents: `var __dirname = __bundledPath(${fromBundle(dirname(args.path))}), __filename = __bundledPath(${fromBundle(args.path)});\n${source}`,
        loader: "js",
      };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  // The campaign thread's entry sits beside cli.js, where jobs/campaign-thread.ts looks for it.
  entryPoints: { cli: join(here, "src", "cli.ts"), "campaign-thread.worker": join(here, "src", "jobs", "campaign-thread.worker.ts") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Mappings only: stack traces point at the sources, and Node reads a map a fifth of the size at start.
  sourcemap: true,
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [dependencies],
  // The bundled CommonJS dependencies `require` Node's built-ins, which ES modules cannot do by themselves.
  banner: {
    js: [
      'import { createRequire as __createRequire } from "node:module";',
      'import { fileURLToPath as __fileURLToPath } from "node:url";',
      "const require = __createRequire(import.meta.url);",
      "const __bundledPath = (path) => __fileURLToPath(new URL(path, import.meta.url));",
    ].join(" "),
  },
  logLevel: "warning",
});
cpSync(join(here, "src", "store", "migrations"), join(outdir, "migrations"), { recursive: true });
cpSync(join(here, "src", "realtime", "fanout", "redis-heartbeat.worker.mjs"), join(outdir, "redis-heartbeat.worker.mjs"));
console.log(`server: ${join(outdir, "cli.js")}`);
