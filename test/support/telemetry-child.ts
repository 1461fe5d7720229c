// A process that loads the Tables client before telemetry starts, as `caf-audit` does (its CLI imports storage before
// `serve` starts telemetry), but with nothing else that might load the Azure SDK's tracing later: Tables spans must
// not depend on what else the process happens to load. Writes and reads one person, then flushes and exits.
import pino from "pino";
import { createTables } from "../../src/storage/tables";
import { startTelemetry } from "../../src/telemetry";

const email = process.env.CHILD_PERSON_EMAIL!;
const tables = createTables({ connectionString: process.env.AZURE_TABLES_CONNECTION_STRING!, tablePrefix: process.env.CAF_TABLE_PREFIX! });
const telemetry = await startTelemetry(process.env, pino({ level: "silent" }));
await tables.ensure();
const people = tables.table("People");
await people.upsertEntity({ partitionKey: "person", rowKey: email, name: process.env.CHILD_PERSON_NAME! });
await people.getEntity("person", email);
await telemetry.stop();
