/**
 * `parley start | migrate | create-user`. Configuration comes from the environment (config.ts).
 */
import { Command, Option } from "commander";
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
  .description("Start the HTTP API, the real-time server and the workers on one port")
  .action(async () => {
    const config = loadConfig();
    const parley = await startParley(config);
    const storage = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PostgreSQL in ${config.dataDir}`;
    console.log(
      [
        `Parley is running on ${parley.url} with ${storage}.`,
        `  Agent API:     ${parley.url}/api/v1   (docs: ${parley.url}/api/docs)`,
        `  Real-time:     ${parley.url.replace(/^http/, "ws")}/app/${parley.realtimeApp.key}`,
        `  Widget:        ${parley.url}/widget.js   (demo: ${parley.url}/widget-demo)`,
        `  Health:        ${parley.url}/api/v1/health   Metrics: ${parley.url}/metrics`,
      ].join("\n"),
    );
    let signals = 0;
    const stop = (signal: string) => {
      if (++signals > 1) process.exit(1);
      parley.logger.info({ signal }, "signal received");
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
  });

program
  .command("worker")
  .description("Run WhatsApp Web sessions and jobs without serving HTTP (needs DATABASE_URL, and REDIS_URL for live events)")
  .action(async () => {
    const config = loadConfig();
    const parley = await startParley(config, { serveHttp: false });
    console.log(`Parley worker ${config.nodeId} is running: up to ${config.whatsappMaxSessions} WhatsApp sessions, and the job queues.`);
    const stop = (signal: string) => {
      parley.logger.info({ signal }, "signal received");
      parley.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });

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

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
