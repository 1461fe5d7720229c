import { describe, expect, it } from "vitest";
import { freshTables } from "../support/tables";

describe("test storage", () => {
  it("gives each test its own empty tables on the shared Azurite", async () => {
    const a = await freshTables();
    const b = await freshTables();
    await a.table("People").createEntity({ partitionKey: "people", rowKey: "x@example.gov.uk" });
    const rows = [];
    for await (const e of b.table("People").listEntities()) rows.push(e);
    expect(rows).toHaveLength(0);
  });
});
