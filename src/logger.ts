// The log: JSON lines on stderr (stdout stays clean for --json output). Codes and ids only, never answers or names.
import pino, { type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: "caf-audit" } }, destination ?? pino.destination(2));
}
