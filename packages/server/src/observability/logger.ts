import pino, { type Logger } from "pino";

/** Parley's root logger: JSON lines on stdout (pretty-print with `| npx pino-pretty`). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "parley" }, redact: ["req.headers.authorization", "*.password", "*.token", "*.session_token"] });
}
