/**
 * Builds the widget bundle, the agent web app and the server bundle only when their output is
 * missing or older than their sources, so `npm start` and `npm test` do not rebuild at every run
 * (`npm ci` builds all three once, through the root `prepare` script). Exits non-zero when a
 * build fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Each workspace's build output (one file whose time stands for the build) and what it is built from. */
const targets = [
  {
    workspace: "@parley/widget",
    output: "packages/widget/dist/widget.js",
    sources: ["packages/widget/src", "packages/widget/build.mjs", "packages/protocol/src"],
  },
  {
    workspace: "@parley/web",
    output: "packages/web/dist/index.html",
    sources: ["packages/web/src", "packages/web/index.html", "packages/web/public", "packages/web/vite.config.ts", "packages/protocol/src"],
  },
  {
    workspace: "@parley/server",
    output: "packages/server/dist/cli.js",
    sources: ["packages/server/src", "packages/server/build.mjs", "packages/protocol/src"],
  },
];

/** The newest modification time (ms) of a file or of any file under a folder; 0 when absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

for (const target of targets) {
  const output = join(root, target.output);
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  const changed = Math.max(...target.sources.map((source) => newest(join(root, source))));
  if (built > changed) continue;
  console.log(`Building ${target.workspace} (${built === 0 ? "not built yet" : "sources changed"})…`);
  const result = spawnSync("npm", ["run", "build", "--workspace", target.workspace], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
