// The same tables, except that the Events table is one that was never created: every write to the audit trail's log
// fails (404) while the decisions' own tables answer, as when storage fails between a decision and its copy. Kept free
// of vitest so the bench can use it too.
import { randomBytes } from "node:crypto";
import { createTables, type Tables } from "../../src/storage/tables";

export function withEventsUnavailable(tables: Tables, connectionString: string): Tables {
  const missing = createTables({ connectionString, tablePrefix: "tmissing" + randomBytes(5).toString("hex") }).table("Events");
  return { ...tables, table: (name) => (name === "Events" ? missing : tables.table(name)) };
}
