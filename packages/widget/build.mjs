// Bundles src/index.ts into one minified IIFE, dist/widget.js, served by the server at GET /widget.js.
import { build } from "esbuild";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, "dist", "widget.js");

await build({
  entryPoints: [join(here, "src", "index.ts")],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  // Safari 14.1+, Chrome/Edge 88+, Firefox 78+: everything with Shadow DOM and ES2020.
  target: ["es2020", "chrome88", "edge88", "firefox78", "safari14.1"],
  platform: "browser",
  legalComments: "none",
  // ASCII output: the file stays correct even if served without a charset.
  charset: "ascii",
  logLevel: "warning",
});

console.log(`widget: ${outfile} ${statSync(outfile).size} bytes`);
