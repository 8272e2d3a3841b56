import pino, { type Logger } from "pino";
import { fdLogDestination, type LogDestination } from "./log-destination.ts";

let stdout: LogDestination | undefined;

/**
 * The process's stdout log destination, made once: what is still queued is written at exit,
 * within a bounded time and never past a dead reader (log-destination.ts).
 */
function stdoutDestination(): LogDestination {
  if (stdout === undefined) {
    const destination = fdLogDestination(1);
    process.once("exit", () => destination.flushSync());
    stdout = destination;
  }
  return stdout;
}

/**
 * Parley's root logger: JSON lines on stdout (pretty-print with `| npx pino-pretty`). When the
 * reader of stdout goes away, lines are dropped rather than retried, so a node still shuts down
 * on SIGTERM (log-destination.ts).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "parley" }, redact: ["req.headers.authorization", "*.password", "*.token", "*.session_token"] }, stdoutDestination());
}
