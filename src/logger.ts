// The log: JSON lines on stderr (stdout stays clean for --json output). Codes and ids only, never answers or names.
// On a developer's machine (no NODE_ENV=production) the same lines go through pino-pretty instead, one short line
// each, so the newcomer running `npm start` can read them; production and anything given a destination stay JSON.
import pino from "pino";
import pretty from "pino-pretty";
import type { LogCode } from "./app/errors";

/** Every line has a code from the one list (app/errors.ts), so a search or an alert on it keeps working. */
type CodedLine = (fields: { code: LogCode } & Record<string, unknown>, message: string) => void;
export type Logger = Omit<pino.Logger, "debug" | "info" | "warn" | "error" | "child"> & {
  debug: CodedLine;
  info: CodedLine;
  warn: CodedLine;
  error: CodedLine;
  child(bindings: Record<string, unknown>): Logger;
};

export type LogFormat = "json" | "pretty";

/** LOG_FORMAT when set; else JSON in production, where App Service and Log Analytics parse the lines, readable elsewhere. */
export function logFormatFor(env: NodeJS.ProcessEnv): LogFormat {
  if (env.LOG_FORMAT === "json" || env.LOG_FORMAT === "pretty") return env.LOG_FORMAT;
  return env.NODE_ENV === "production" ? "json" : "pretty";
}

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = "json"): Logger {
  const options = { level, base: { service: "caf-audit" } };
  if (destination) return pino(options, destination);
  if (format === "pretty") return pino(options, readableLines());
  return pino(options, pino.destination(2));
}

/** Synchronous, so a line is on the screen before the process goes on (or exits); no worker thread to wait for. */
function readableLines(): pino.DestinationStream {
  return pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service", singleLine: true });
}
