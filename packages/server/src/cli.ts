/**
 * `parley start | migrate | create-user`. Configuration comes from the environment (config.ts).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import type { RunningParley } from "./main.ts";
import { type NodeRole, nodeRoles, parseNodeRoles } from "./node-roles.ts";
import { loadConfig } from "./config.ts";
import { systemClock } from "./domain/clock.ts";
import { roles } from "./domain/tenancy/roles.ts";
import { createMember, signup } from "./domain/tenancy/tenancy.usecases.ts";
import { startParley } from "./main.ts";
import { argon2Passwords } from "./security/passwords.ts";
import { randomSecretTokens } from "./security/tokens.ts";
import { openDatabase } from "./store/database.ts";
import { createStore } from "./store/store.ts";

const program = new Command().name("parley").description("Parley: real-time customer messaging.");

program
  .command("start")
  .description("Start a node: by default the HTTP API, the real-time server and the workers on one port")
  .addOption(
    new Option("--role <roles>", `what this node does, comma-separated: ${nodeRoles.join(", ")} (see README, Deployment)`)
      .default([...nodeRoles], nodeRoles.join(","))
      .argParser((text) => {
        try {
          return parseNodeRoles(text);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      }),
  )
  .action((options: { role: NodeRole[] }) => runNode(options.role));

program
  .command("worker")
  .description("Same as `start --role worker`: WhatsApp Web sessions and jobs (needs DATABASE_URL, and REDIS_URL for live events)")
  .action(() => runNode(["worker"]));

program
  .command("migrate")
  .description("Apply database migrations and exit")
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      console.log("Migrations applied.");
    } finally {
      await database.close();
    }
  });

program
  .command("create-user")
  .description("Create a user with a new workspace (or add them to an existing one) and print a token")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .requiredOption("--password <password>")
  .option("--workspace <name>", "name of the new workspace the user owns", "My workspace")
  .option("--workspace-id <id>", "add the (new) user to this existing workspace instead")
  .addOption(new Option("--role <role>", "role in --workspace-id").choices([...roles]).default("agent"))
  .action(async (options: { email: string; name: string; password: string; workspace: string; workspaceId?: string; role: (typeof roles)[number] }) => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      const tenancy = { store: createStore(database.db), passwords: argon2Passwords, tokens: randomSecretTokens, clock: systemClock };
      const { token, user, workspace } = options.workspaceId
        ? await createMember(tenancy, {
            workspaceId: options.workspaceId,
            name: options.name,
            email: options.email,
            password: options.password,
            role: options.role,
          })
        : await signup(tenancy, { name: options.name, email: options.email, password: options.password, workspaceName: options.workspace });
      const role = options.workspaceId ? options.role : "owner";
      console.log(`Created ${user.email} (${role}) in workspace "${workspace.name}" (${workspace.id}).`);
      console.log(`Token: ${token}`);
    } finally {
      await database.close();
    }
  });

/** Longest a shutdown may take after SIGTERM or SIGINT before the process exits anyway, in ms. */
const shutdownDeadlineMs = 10_000;

/** Starts a node with `roles`, prints where it answers, and stops it gracefully on SIGTERM or SIGINT. */
async function runNode(roles: NodeRole[]): Promise<void> {
  // A reader of stdout that went away must cost the output, never the process: without a
  // listener, the EPIPE of a console.log is an uncaught exception (the logger has its own guard).
  process.stdout.on("error", () => {});
  const config = loadConfig();
  const parley = await startParley(config, { roles });
  console.log(banner(parley, config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PostgreSQL in ${config.dataDir}`, config.nodeId));
  let signals = 0;
  const stop = (signal: string) => {
    if (++signals > 1) process.exit(1);
    parley.logger.info({ signal }, "signal received");
    // Whatever hangs (a dependency that never answers), the node is gone within the deadline.
    setTimeout(() => {
      parley.logger.error({ deadlineMs: shutdownDeadlineMs, step: parley.shutdownStep() }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, shutdownDeadlineMs).unref();
    parley.close().then(
      () => process.exit(0),
      (error: unknown) => {
        parley.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** What `parley start` prints: the node, and the URLs of what its roles serve. */
function banner(parley: RunningParley, storage: string, nodeId: string): string {
  const has = (role: NodeRole) => parley.roles.includes(role);
  return [
    `Parley node ${nodeId} (${parley.roles.join(", ")}) is running on ${parley.url} with ${storage}.`,
    ...(has("api") ? [`  Agent API:     ${parley.url}/api/v1   (docs: ${parley.url}/api/docs)`] : []),
    ...(has("realtime")
      ? [`  Real-time:     ${parley.url.replace(/^http/, "ws")}/app/${parley.realtimeApp.key}   (Pusher HTTP API: ${parley.url}/apps/)`]
      : []),
    ...(has("api") ? [`  Widget:        ${parley.url}/widget.js   (demo: ${parley.url}/widget-demo)`] : []),
    ...(has("worker") ? ["  Worker:        job queues and WhatsApp Web sessions"] : []),
    `  Health:        ${parley.url}/api/v1/health   Metrics: ${parley.url}/metrics`,
  ].join("\n");
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
