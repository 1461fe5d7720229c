// The load run's Azurite, in a process of its own so that its memory (it keeps every row) is not counted as the bot's.
// Prints its connection string as one JSON line on stdout, then runs until its parent goes away.
import { startEmbeddedAzurite } from "../../src/storage/embedded-azurite";

const azurite = await startEmbeddedAzurite({ port: 0 });
process.stdout.write(JSON.stringify({ connectionString: azurite.connectionString }) + "\n");
const stop = async () => {
  await azurite.close();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("disconnect", () => void stop());
