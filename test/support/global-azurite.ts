// One in-memory Azurite for the whole test run, started here and stopped at the end: nothing relies on a server left running.
import type { TestProject } from "vitest/node";
import { startEmbeddedAzurite } from "../../src/storage/embedded-azurite";

declare module "vitest" {
  export interface ProvidedContext {
    tablesConnectionString: string;
  }
}

export default async function setup(project: TestProject) {
  const azurite = await startEmbeddedAzurite({ port: 0 });
  project.provide("tablesConnectionString", azurite.connectionString);
  return async () => {
    await azurite.close();
  };
}
