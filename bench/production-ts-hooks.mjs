/**
 * Module hooks of production-ts-loader.mjs (Node's `module.register`, node:module docs,
 * "Customization Hooks"): a `.ts` file is read and compiled to an ES module by esbuild with the
 * production bundle's settings (no `keepNames`), with an inline source map for stack traces.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

/** @type {import("node:module").LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, "utf8"), {
    loader: "ts",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    sourcefile: path,
  });
  return { format: "module", source: code, shortCircuit: true };
}
