// Importing the open-case register and the people directory through the use cases, on real (Azurite) storage.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Result } from "../../../src/app/errors";
import { importCases } from "../../../src/app/allocation/import-cases";
import { importPeople } from "../../../src/app/allocation/import-people";
import type { CaseFile } from "../../../src/domain/case-file";
import { fixedClock, freshCore } from "../../support/tables";

const CASE_COLUMNS = [
  "case_ref",
  "service_area",
  "status",
  "opened_on",
  "closed_on",
  "lead_professional_email",
  "lp_manager_email",
  "involved_emails",
  "step_down",
  "age_band",
  "primary_need",
  "last_audited_on",
] as const;
type CaseCsvRow = Partial<Record<(typeof CASE_COLUMNS)[number], string>>;

const PEOPLE_COLUMNS = ["email", "name", "roles", "service_area", "manager_email", "monthly_capacity"] as const;
type PersonCsvRow = Partial<Record<(typeof PEOPLE_COLUMNS)[number], string>>;

const DEFAULT_CASE: CaseCsvRow = {
  service_area: "Early Help North",
  status: "open",
  opened_on: "05/01/2026",
  lead_professional_email: "lp@example.gov.uk",
  lp_manager_email: "manager@example.gov.uk",
};

const DEFAULT_PERSON: PersonCsvRow = { roles: "auditor" };

/** A field as Excel writes it: quoted only when it has to be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvText(columns: readonly string[], rows: Record<string, string | undefined>[], eol = "\n"): string {
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => csvField(r[c] ?? "")).join(","))];
  return lines.join(eol) + eol;
}

/** Register text with the usual columns; each row gets the default area, status and emails unless it says otherwise. */
function registerCsv(rows: CaseCsvRow[], eol = "\n"): string {
  return csvText(CASE_COLUMNS, rows.map((r) => ({ ...DEFAULT_CASE, ...r })), eol);
}

function peopleCsv(rows: PersonCsvRow[], eol = "\n"): string {
  return csvText(PEOPLE_COLUMNS, rows.map((r) => ({ ...DEFAULT_PERSON, ...r })), eol);
}

const refs = (...numbers: number[]): CaseCsvRow[] => numbers.map((n) => ({ case_ref: `CAF-${n}` }));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.problem.code}: ${result.problem.message}`);
  return result.value;
}

function problemOf<T>(result: Result<T>) {
  if (result.ok) throw new Error("expected the import to be refused");
  return result.problem;
}

const ACTOR = "cli:qa";

async function setup(clock = fixedClock("2026-11-20T10:00:00Z")) {
  const { core } = await freshCore({}, clock);
  const cases = (text: string | Uint8Array, options: { allowMassClosure?: boolean } = {}) =>
    importCases(core, typeof text === "string" ? Buffer.from(text) : text, ACTOR, options);
  const people = (text: string | Uint8Array) => importPeople(core, typeof text === "string" ? Buffer.from(text) : text, ACTOR);
  const stored = async (): Promise<CaseFile[]> => (await core.cases.all()).sort((a, b) => (a.caseRef < b.caseRef ? -1 : a.caseRef > b.caseRef ? 1 : 0));
  const storedCase = async (ref: string) => (await core.cases.all()).find((c) => c.caseRef === ref);
  return { core, clock, cases, people, stored, storedCase };
}

describe("importing the case register", () => {
  it("changes nothing when the same register is imported a second time", async () => {
    const t = await setup();
    const text = registerCsv([
      { case_ref: "CAF-1", involved_emails: "a@example.gov.uk;b@example.gov.uk", step_down: "yes", age_band: "0-4", primary_need: "Parenting" },
      { case_ref: "CAF-2", service_area: "Family Hubs", last_audited_on: "2026-03-15" },
      { case_ref: "CAF-3", status: "closed", closed_on: "30/10/2026" },
    ]);
    expect(valueOf(await t.cases(text))).toEqual({ added: 3, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected: [] });
    const afterFirst = await t.stored();

    expect(valueOf(await t.cases(text))).toEqual({ added: 0, updated: 0, unchanged: 3, markedNoLongerOpen: 0, rejected: [] });
    expect(await t.stored()).toEqual(afterFirst);
  });

  it("stores every column of a row as the case file", async () => {
    const t = await setup();
    valueOf(
      await t.cases(
        registerCsv([
          {
            case_ref: "CAF-1",
            lead_professional_email: "Farah.Khan@Example.gov.uk",
            involved_emails: "carys.jones@example.gov.uk; DEV.SHARMA@example.gov.uk",
            step_down: "Y",
            age_band: "5-10",
            primary_need: "School attendance",
            last_audited_on: "15/03/2026",
          },
        ]),
      ),
    );
    expect(await t.stored()).toEqual([
      {
        caseRef: "CAF-1",
        serviceArea: "Early Help North",
        status: "open",
        openedOn: "2026-01-05",
        closedOn: null,
        leadProfessionalEmail: "farah.khan@example.gov.uk",
        lpManagerEmail: "manager@example.gov.uk",
        involvedEmails: ["carys.jones@example.gov.uk", "dev.sharma@example.gov.uk"],
        stepDown: true,
        ageBand: "5-10",
        primaryNeed: "School attendance",
        lastAuditedOn: "2026-03-15",
        missingFromRegisterSince: null,
      },
    ]);
  });

  it("marks a case missing from a later register as no longer open from today's London date, and keeps it", async () => {
    // 23:30 UTC on 24 October 2026 is already 25 October in London (BST).
    const t = await setup(fixedClock("2026-10-24T23:30:00Z"));
    valueOf(await t.cases(registerCsv(refs(1, 2, 3))));

    const report = valueOf(await t.cases(registerCsv(refs(1, 2))));
    expect(report).toMatchObject({ added: 0, unchanged: 2, markedNoLongerOpen: 1, rejected: [] });
    expect(await t.stored()).toHaveLength(3);
    expect((await t.storedCase("CAF-3"))?.missingFromRegisterSince).toBe("2026-10-25");
    expect((await t.storedCase("CAF-3"))?.status).toBe("open");
    expect((await t.storedCase("CAF-1"))?.missingFromRegisterSince).toBeNull();
  });

  it("keeps the first date a case went missing when later registers still leave it out", async () => {
    const t = await setup(fixedClock("2026-10-24T23:30:00Z"));
    valueOf(await t.cases(registerCsv(refs(1, 2, 3))));
    valueOf(await t.cases(registerCsv(refs(1, 2))));
    t.clock.set("2026-11-03T10:00:00Z");

    expect(valueOf(await t.cases(registerCsv(refs(1, 2))))).toMatchObject({ unchanged: 2, markedNoLongerOpen: 0 });
    expect((await t.storedCase("CAF-3"))?.missingFromRegisterSince).toBe("2026-10-25");
  });

  it("records the day a row changed, as activity on the case; a first import and an unchanged row record none", async () => {
    const t = await setup(fixedClock("2026-10-01T10:00:00Z"));
    valueOf(await t.cases(registerCsv(refs(1, 2))));
    expect((await t.storedCase("CAF-1"))?.registerChangedOn).toBeUndefined();

    t.clock.set("2026-11-20T10:00:00Z");
    valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1", lead_professional_email: "new.lp@example.gov.uk" }, { case_ref: "CAF-2" }])));
    expect((await t.storedCase("CAF-1"))?.registerChangedOn).toBe("2026-11-20");
    expect((await t.storedCase("CAF-2"))?.registerChangedOn).toBeUndefined();

    t.clock.set("2026-12-20T10:00:00Z");
    expect(valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1", lead_professional_email: "new.lp@example.gov.uk" }, { case_ref: "CAF-2" }])))).toMatchObject({ unchanged: 2 });
    expect((await t.storedCase("CAF-1"))?.registerChangedOn).toBe("2026-11-20");
  });

  it("returns a case to open when it reappears on the register", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(1, 2, 3))));
    valueOf(await t.cases(registerCsv(refs(1, 2))));

    expect(valueOf(await t.cases(registerCsv(refs(1, 2, 3))))).toMatchObject({ added: 0, updated: 1, unchanged: 2, markedNoLongerOpen: 0 });
    expect((await t.storedCase("CAF-3"))?.missingFromRegisterSince).toBeNull();
    expect(await t.stored()).toHaveLength(3);
  });

  it("does not mark a closed case that leaves the register", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1" }, { case_ref: "CAF-2", status: "closed", closed_on: "2026-10-30" }])));

    expect(valueOf(await t.cases(registerCsv(refs(1))))).toMatchObject({ markedNoLongerOpen: 0 });
    expect((await t.storedCase("CAF-2"))?.missingFromRegisterSince).toBeNull();
  });

  it("reports each bad row with its line in the file and the reason, and loads the good rows", async () => {
    const t = await setup();
    const report = valueOf(
      await t.cases(
        registerCsv([
          { case_ref: "CAF-1" },
          { case_ref: "" },
          { case_ref: "CAF-3", status: "pending" },
          { case_ref: "CAF-4", opened_on: "31/02/2026" },
          { case_ref: "CAF-5", lead_professional_email: "not-an-email" },
          { case_ref: "CAF-6" },
        ]),
      ),
    );
    expect(report.added).toBe(2);
    expect(report.rejected).toEqual([
      { line: 3, ref: null, code: "row_invalid", reason: "case_ref is missing" },
      { line: 4, ref: "CAF-3", code: "row_invalid", reason: 'status "pending" is not open or closed' },
      { line: 5, ref: "CAF-4", code: "row_invalid", reason: 'opened_on "31/02/2026" is not a real date (use dd/mm/yyyy or yyyy-mm-dd)' },
      { line: 6, ref: "CAF-5", code: "row_invalid", reason: 'lead_professional_email "not-an-email" is not an email address' },
    ]);
    expect((await t.stored()).map((c) => c.caseRef)).toEqual(["CAF-1", "CAF-6"]);
  });

  it("gives every reason a row is refused, not just the first", async () => {
    const t = await setup();
    const report = valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1", status: "shut", closed_on: "2026-02-30", lp_manager_email: "boss" }])));
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]?.reason).toContain('status "shut"');
    expect(report.rejected[0]?.reason).toContain('closed_on "2026-02-30"');
    expect(report.rejected[0]?.reason).toContain('lp_manager_email "boss"');
  });

  it("counts line numbers as physical lines, including blank lines and line breaks inside quoted fields", async () => {
    const t = await setup();
    const header = CASE_COLUMNS.join(",");
    for (const eol of ["\n", "\r\n"]) {
      const text = [
        header,
        'CAF-1,Early Help North,open,,,lp@example.gov.uk,,,,,"Parenting' + eol + "and housing" + '",',
        "",
        "CAF-2,Early Help North,unknown,,,lp@example.gov.uk,,,,,,",
        "CAF-1,Family Hubs,open,,,lp@example.gov.uk,,,,,,",
      ].join(eol);
      const report = valueOf(await t.cases(text));
      expect(report.rejected).toEqual([
        expect.objectContaining({ line: 5, ref: "CAF-2" }),
        { line: 6, ref: "CAF-1", code: "row_duplicate", reason: "case_ref already appears on line 2" },
      ]);
    }
  });

  it("does not mark a case no longer open when its row is rejected", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(1, 2))));
    const before = await t.storedCase("CAF-2");

    const report = valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1" }, { case_ref: "CAF-2", opened_on: "31/02/2026" }])));
    expect(report).toMatchObject({ unchanged: 1, markedNoLongerOpen: 0 });
    expect(report.rejected).toEqual([expect.objectContaining({ line: 3, ref: "CAF-2" })]);
    expect(await t.storedCase("CAF-2")).toEqual(before);
  });

  it("rejects a second row with the same case_ref, naming the line of the first, and keeps the first", async () => {
    const t = await setup();
    const report = valueOf(
      await t.cases(registerCsv([{ case_ref: "CAF-1" }, { case_ref: "CAF-2" }, { case_ref: "CAF-1", service_area: "Family Hubs" }])),
    );
    expect(report.added).toBe(2);
    expect(report.rejected).toEqual([{ line: 4, ref: "CAF-1", code: "row_duplicate", reason: "case_ref already appears on line 2" }]);
    expect((await t.storedCase("CAF-1"))?.serviceArea).toBe("Early Help North");
    expect(await t.stored()).toHaveLength(2);
  });

  it("loads dates written dd/mm/yyyy or yyyy-mm-dd as ISO dates", async () => {
    const t = await setup();
    valueOf(
      await t.cases(
        registerCsv([
          { case_ref: "CAF-1", status: "closed", opened_on: "05/01/2026", closed_on: "2026-10-30", last_audited_on: "1/3/2026" },
          { case_ref: "CAF-2", opened_on: "2024-02-29", last_audited_on: "29/02/2024" },
        ]),
      ),
    );
    expect(await t.storedCase("CAF-1")).toMatchObject({ openedOn: "2026-01-05", closedOn: "2026-10-30", lastAuditedOn: "2026-03-01" });
    expect(await t.storedCase("CAF-2")).toMatchObject({ openedOn: "2024-02-29", lastAuditedOn: "2024-02-29" });
  });

  it("refuses impossible dates in either format", async () => {
    const t = await setup();
    const report = valueOf(
      await t.cases(
        registerCsv([
          { case_ref: "CAF-1", opened_on: "31/02/2026" },
          { case_ref: "CAF-2", opened_on: "2026-02-31" },
          { case_ref: "CAF-3", opened_on: "29/02/2026" },
          { case_ref: "CAF-4", opened_on: "13/13/2026" },
          { case_ref: "CAF-5", opened_on: "next week" },
        ]),
      ),
    );
    expect(report.rejected.map((p) => p.ref)).toEqual(["CAF-1", "CAF-2", "CAF-3", "CAF-4", "CAF-5"]);
    expect(await t.stored()).toEqual([]);
  });

  it("reads a BOM, CRLF, quoted commas and quotes, blank trailing lines and headers in any order and case", async () => {
    const t = await setup();
    const text =
      "\uFEFF" +
      [
        "Status,LEAD_PROFESSIONAL_EMAIL, Case_Ref ,Service_Area,LP_Manager_Email,Primary_Need",
        'open,lp@example.gov.uk,CAF-1,"Early Help, North",manager@example.gov.uk,"Parenting, ""routines"" and sleep"',
        "Open,lp@example.gov.uk,CAF-2,Family Hubs,,",
        "",
        "",
        "",
      ].join("\r\n");
    const report = valueOf(await t.cases(text));
    expect(report).toEqual({ added: 2, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected: [] });
    expect(await t.storedCase("CAF-1")).toMatchObject({
      serviceArea: "Early Help, North",
      status: "open",
      lpManagerEmail: "manager@example.gov.uk",
      primaryNeed: 'Parenting, "routines" and sleep',
    });
    expect(await t.storedCase("CAF-2")).toMatchObject({ serviceArea: "Family Hubs", lpManagerEmail: null, primaryNeed: null });
  });

  it("skips the rows of bare commas a spreadsheet leaves after the data instead of rejecting them", async () => {
    const t = await setup();
    const text = registerCsv(refs(1, 2), "\r\n") + ",,,,,,,,,,,\r\n , , ,,,,,,,,,\r\n,,,,,,,,,,,\r\n";
    expect(valueOf(await t.cases(text))).toEqual({ added: 2, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected: [] });
  });

  it("reads a Windows-1252 file", async () => {
    const t = await setup();
    const bytes = Buffer.from(registerCsv([{ case_ref: "CAF-1", service_area: "Café Services", primary_need: "Naïve £ budgeting" }]), "latin1");
    expect(bytes.includes(0xe9)).toBe(true);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();

    expect(valueOf(await t.cases(bytes)).added).toBe(1);
    expect(await t.storedCase("CAF-1")).toMatchObject({ serviceArea: "Café Services", primaryNeed: "Naïve £ budgeting" });
  });

  it("reads a UTF-16LE file with a byte order mark", async () => {
    const t = await setup();
    const text = registerCsv([{ case_ref: "CAF-1", service_area: "Café Services" }, { case_ref: "CAF-2", service_area: "Gwasanaethau Ŵyr" }], "\r\n");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);

    expect(valueOf(await t.cases(bytes))).toMatchObject({ added: 2, rejected: [] });
    expect((await t.stored()).map((c) => c.serviceArea)).toEqual(["Café Services", "Gwasanaethau Ŵyr"]);
  });

  it("loads UTF-8 text with accents as written", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1", service_area: "Café Services" }])));
    expect((await t.storedCase("CAF-1"))?.serviceArea).toBe("Café Services");
  });

  it("refuses a file lacking a required column whole, in one sentence, and stores nothing", async () => {
    const t = await setup();
    const text = csvText(["case_ref", "service_area", "lead_professional_email", "lp_manager_email"], [
      { case_ref: "CAF-1", service_area: "Early Help North", lead_professional_email: "lp@example.gov.uk" },
    ]);
    const problem = problemOf(await t.cases(text));
    expect(problem.code).toBe("csv_missing_columns");
    expect(problem.message).toBe("The case register file has no status column; the first line must name the columns.");
    expect(await t.stored()).toEqual([]);
  });

  it("names every missing column when several are missing", async () => {
    const t = await setup();
    const problem = problemOf(await t.cases("case_ref,service_area\nCAF-1,Early Help North\n"));
    expect(problem.code).toBe("csv_missing_columns");
    expect(problem.message).toContain("status, lead_professional_email, lp_manager_email columns");
  });

  it("leaves stored cases alone when a later file is refused", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(1, 2))));
    const before = await t.stored();

    expect(problemOf(await t.cases("case_ref,service_area\nCAF-1,Early Help North\n")).code).toBe("csv_missing_columns");
    expect(await t.stored()).toEqual(before);
  });

  it("refuses an empty or binary file as not CSV", async () => {
    const t = await setup();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00]);
    for (const bytes of [Buffer.alloc(0), Buffer.from("\r\n\r\n  \n"), Buffer.from("\uFEFF"), png]) {
      const problem = problemOf(await t.cases(bytes));
      expect(problem.code).toBe("csv_not_csv");
      expect(problem.message).toMatch(/^The case register file is empty or is not a CSV file\./);
    }
    expect(await t.stored()).toEqual([]);
  });

  it("refuses malformed quoting", async () => {
    const t = await setup();
    const header = CASE_COLUMNS.join(",");
    for (const text of [
      `${header}\n"CAF-1"x,Early Help North,open,,,lp@example.gov.uk,,,,,,\n`,
      `${header}\nCAF-1,"Early Help North,open,,,lp@example.gov.uk,,,,,,\n`,
    ]) {
      const problem = problemOf(await t.cases(text));
      expect(problem.code).toBe("csv_malformed");
      expect(problem.message).toContain("near line 2");
    }
    expect(await t.stored()).toEqual([]);
  });

  it("keeps a case reference with characters that cannot be storage keys unchanged", async () => {
    const t = await setup();
    const text = registerCsv([
      { case_ref: "CAF/2024/001#?" },
      { case_ref: "CAF\\2024%2F001", service_area: "North/East #2?" },
      { case_ref: "CAF/2024/001" },
    ]);
    expect(valueOf(await t.cases(text))).toMatchObject({ added: 3, rejected: [] });
    expect((await t.stored()).map((c) => [c.caseRef, c.serviceArea])).toEqual([
      ["CAF/2024/001", "Early Help North"],
      ["CAF/2024/001#?", "Early Help North"],
      ["CAF\\2024%2F001", "North/East #2?"],
    ]);
    expect(valueOf(await t.cases(text))).toMatchObject({ unchanged: 3 });
  });

  it("rejects a case reference with a control character as a row problem and loads the rest", async () => {
    const t = await setup();
    const report = valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1" }, { case_ref: "CAF-\u00012" }, { case_ref: "CAF-3", service_area: "North\u0007" }])));
    expect(report.added).toBe(1);
    expect(report.rejected).toEqual([
      { line: 3, ref: "CAF-\u00012", code: "row_invalid", reason: "case_ref has control characters or is longer than 100 characters" },
      { line: 4, ref: "CAF-3", code: "row_invalid", reason: "service_area has control characters or is longer than 100 characters" },
    ]);
    expect((await t.stored()).map((c) => c.caseRef)).toEqual(["CAF-1"]);
  });

  it("moves a case whose service area changes rather than duplicating it", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1" }, { case_ref: "CAF/2024/001#?", service_area: "North/East" }])));

    const report = valueOf(
      await t.cases(registerCsv([{ case_ref: "CAF-1", service_area: "Family Hubs" }, { case_ref: "CAF/2024/001#?", service_area: "South #2" }])),
    );
    expect(report).toMatchObject({ added: 0, updated: 2, markedNoLongerOpen: 0 });
    expect((await t.stored()).map((c) => [c.caseRef, c.serviceArea])).toEqual([
      ["CAF-1", "Family Hubs"],
      ["CAF/2024/001#?", "South #2"],
    ]);
  });

  it("refuses a register that would mark more than half (and at least 10) of the open cases no longer open, changing nothing", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(...range(1, 20)))));
    const before = await t.stored();
    const eventsBefore = await t.core.events.listMonth("2026-11");

    const problem = problemOf(await t.cases(registerCsv(refs(...range(1, 9)))));
    expect(problem.code).toBe("import_mass_closure");
    expect(problem.message).toContain("11 of 20 open cases");
    expect(await t.stored()).toEqual(before);
    expect(await t.core.events.listMonth("2026-11")).toHaveLength(eventsBefore.length);
  });

  it("goes ahead with a mass closure when the person allows it", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(...range(1, 20)))));

    const report = valueOf(await t.cases(registerCsv(refs(...range(1, 9))), { allowMassClosure: true }));
    expect(report).toMatchObject({ unchanged: 9, markedNoLongerOpen: 11 });
    expect((await t.stored()).filter((c) => c.missingFromRegisterSince === "2026-11-20")).toHaveLength(11);
  });

  it("goes ahead when exactly half the open cases leave the register", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(...range(1, 20)))));
    expect(valueOf(await t.cases(registerCsv(refs(...range(1, 10)))))).toMatchObject({ markedNoLongerOpen: 10 });
  });

  it("goes ahead when most open cases leave the register but fewer than 10", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv(refs(...range(1, 12)))));
    expect(valueOf(await t.cases(registerCsv(refs(1, 2, 3))))).toMatchObject({ markedNoLongerOpen: 9 });
  });
});

describe("importing the people directory", () => {
  it("parses roles separated by semicolons, lower-cases emails and gives an auditor one case a month by default", async () => {
    const t = await setup();
    const report = valueOf(
      await t.people(
        peopleCsv([
          { email: "Asha.Patel@Example.gov.uk", name: "Asha Patel", roles: "Auditor; manager", service_area: "Early Help North", manager_email: "Morgan.Reid@example.gov.uk" },
          { email: "farah.khan@example.gov.uk", name: "Farah Khan", roles: "lead_professional" },
          { email: "ben.okafor@example.gov.uk", name: "Ben Okafor", roles: "auditor;auditor", monthly_capacity: "2" },
        ]),
      ),
    );
    expect(report).toEqual({ added: 3, updated: 0, unchanged: 0, rejected: [] });
    expect(await t.core.people.get("Asha.Patel@Example.gov.uk")).toEqual({
      email: "asha.patel@example.gov.uk",
      name: "Asha Patel",
      roles: ["auditor", "manager"],
      serviceArea: "Early Help North",
      managerEmail: "morgan.reid@example.gov.uk",
      monthlyCapacity: 1,
    });
    expect(await t.core.people.get("farah.khan@example.gov.uk")).toMatchObject({ roles: ["lead_professional"], serviceArea: null, monthlyCapacity: 0 });
    expect(await t.core.people.get("ben.okafor@example.gov.uk")).toMatchObject({ roles: ["auditor"], monthlyCapacity: 2 });
  });

  it("reads the optional chat column (teams or slack) and refuses any other chat, naming it", async () => {
    const t = await setup();
    const csv = ["email,name,roles,chat", "asha.patel@example.gov.uk,Asha Patel,auditor,Slack", "ben.okafor@example.gov.uk,Ben Okafor,auditor,", "carys.jones@example.gov.uk,Carys Jones,auditor,email"].join("\n");
    const report = valueOf(await t.people(csv));
    expect(report.added).toBe(2);
    expect(report.rejected).toEqual([expect.objectContaining({ line: 4, reason: expect.stringContaining('chat "email"') })]);
    expect((await t.core.people.get("asha.patel@example.gov.uk"))?.chat).toBe("slack");
    expect((await t.core.people.get("ben.okafor@example.gov.uk"))?.chat).toBeUndefined();
  });

  it("rejects an unknown role naming it, and a capacity that is not a whole number, and loads the good rows", async () => {
    const t = await setup();
    const report = valueOf(
      await t.people(
        peopleCsv([
          { email: "asha.patel@example.gov.uk", name: "Asha Patel" },
          { email: "ben.okafor@example.gov.uk", name: "Ben Okafor", roles: "auditor;auditer" },
          { email: "carys.jones@example.gov.uk", name: "Carys Jones", monthly_capacity: "3.5" },
          { email: "dev.sharma@example.gov.uk", name: "Dev Sharma", monthly_capacity: "11" },
          { email: "not-an-email", name: "Nobody" },
          { email: "ella.wright@example.gov.uk", name: "", roles: "" },
        ]),
      ),
    );
    expect(report.added).toBe(1);
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: 3, ref: "ben.okafor@example.gov.uk", code: "row_invalid", reason: expect.stringContaining('unknown role "auditer"') }),
      expect.objectContaining({ line: 4, ref: "carys.jones@example.gov.uk", reason: 'monthly_capacity "3.5" is not a whole number from 0 to 10' }),
      expect.objectContaining({ line: 5, ref: "dev.sharma@example.gov.uk", reason: 'monthly_capacity "11" is not a whole number from 0 to 10' }),
      expect.objectContaining({ line: 6, ref: null, reason: 'email "not-an-email" is not an email address' }),
      expect.objectContaining({ line: 7, ref: "ella.wright@example.gov.uk", reason: "name is missing; roles is empty" }),
    ]);
    expect((await t.core.people.all()).map((p) => p.email)).toEqual(["asha.patel@example.gov.uk"]);
  });

  it("changes nothing when the same directory is imported a second time", async () => {
    const t = await setup();
    const text = peopleCsv([
      { email: "Asha.Patel@Example.gov.uk", name: "Asha Patel", roles: "auditor;manager", service_area: "Early Help North", monthly_capacity: "2" },
      { email: "kit.morris@example.gov.uk", name: "Kit Morris", roles: "qa" },
    ]);
    valueOf(await t.people(text));
    const before = await t.core.people.all();

    expect(valueOf(await t.people(text))).toEqual({ added: 0, updated: 0, unchanged: 2, rejected: [] });
    expect(await t.core.people.all()).toEqual(before);
  });

  it("updates a person whose details change and never deletes anyone left out", async () => {
    const t = await setup();
    valueOf(await t.people(peopleCsv([{ email: "a@example.gov.uk", name: "A" }, { email: "b@example.gov.uk", name: "B" }])));

    expect(valueOf(await t.people(peopleCsv([{ email: "a@example.gov.uk", name: "A", monthly_capacity: "2" }])))).toMatchObject({ updated: 1 });
    expect((await t.core.people.all()).map((p) => [p.email, p.monthlyCapacity])).toEqual([
      ["a@example.gov.uk", 2],
      ["b@example.gov.uk", 1],
    ]);
  });

  it("rejects a second row for the same email, whatever its case, naming the first line", async () => {
    const t = await setup();
    const report = valueOf(await t.people(peopleCsv([{ email: "asha.patel@example.gov.uk", name: "Asha" }, { email: "ASHA.PATEL@example.gov.uk", name: "Asha P" }])));
    expect(report.rejected).toEqual([{ line: 3, ref: "asha.patel@example.gov.uk", code: "row_duplicate", reason: "email already appears on line 2" }]);
    expect((await t.core.people.get("asha.patel@example.gov.uk"))?.name).toBe("Asha");
  });

  it("refuses a people file lacking a required column", async () => {
    const t = await setup();
    const problem = problemOf(await t.people("email,name\nasha.patel@example.gov.uk,Asha Patel\n"));
    expect(problem).toEqual({ code: "csv_missing_columns", message: "The people file has no roles column; the first line must name the columns." });
    expect(await t.core.people.all()).toEqual([]);
  });
});

describe("the import audit trail", () => {
  it("appends one event per import carrying counts only, with no names, emails or case references", async () => {
    const t = await setup();
    valueOf(await t.cases(registerCsv([{ case_ref: "CAF-1", primary_need: "Parenting" }, { case_ref: "CAF-2", status: "bad" }])));
    valueOf(await t.people(peopleCsv([{ email: "asha.patel@example.gov.uk", name: "Asha Patel" }])));

    const events = (await t.core.events.listMonth("2026-11")).sort((a, b) => a.type.localeCompare(b.type));
    expect(events).toEqual([
      {
        at: "2026-11-20T10:00:00.000Z",
        actor: ACTOR,
        type: "cases_imported",
        subject: "register",
        data: { added: 1, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected: 1 },
      },
      { at: "2026-11-20T10:00:00.000Z", actor: ACTOR, type: "people_imported", subject: "directory", data: { added: 1, updated: 0, unchanged: 0, rejected: 0 } },
    ]);
    for (const event of events) {
      expect(Object.values(event.data).every((v) => typeof v === "number")).toBe(true);
    }
    const logged = JSON.stringify(events);
    for (const secret of ["CAF-1", "CAF-2", "Asha", "asha.patel", "Parenting", "Early Help"]) expect(logged).not.toContain(secret);
  });

  it("appends an event for a second, unchanged import too", async () => {
    const t = await setup();
    const text = registerCsv(refs(1));
    valueOf(await t.cases(text));
    valueOf(await t.cases(text));
    const events = await t.core.events.listMonth("2026-11");
    expect(events.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { added: 1, updated: 0, unchanged: 0, markedNoLongerOpen: 0, rejected: 0 },
        { added: 0, updated: 0, unchanged: 1, markedNoLongerOpen: 0, rejected: 0 },
      ]),
    );
    expect(events).toHaveLength(2);
  });
});

describe("the shipped examples", () => {
  it("imports examples/cases.csv with no rejected rows", async () => {
    const t = await setup();
    const bytes = await readFile(new URL("../../../examples/cases.csv", import.meta.url));
    const report = valueOf(await t.cases(bytes));
    expect(report.rejected).toEqual([]);
    expect(report.added).toBe(40);
    expect(await t.stored()).toHaveLength(40);
    expect(valueOf(await t.cases(bytes))).toMatchObject({ unchanged: 40, rejected: [] });
  });

  it("imports examples/people.csv with no rejected rows", async () => {
    const t = await setup();
    const bytes = await readFile(new URL("../../../examples/people.csv", import.meta.url));
    const report = valueOf(await t.people(bytes));
    expect(report.rejected).toEqual([]);
    expect(report.added).toBe(14);
    expect(valueOf(await t.people(bytes))).toMatchObject({ unchanged: 14, rejected: [] });
  });
});

describe("hostile field values", () => {
  it("rejects a capacity written as hex or an exponent, and a field of a megabyte, as row problems", async () => {
    const { core } = await freshCore();
    const people = "email,name,roles,monthly_capacity\na@example.gov.uk,A,auditor,0x2\nb@example.gov.uk,B,auditor,1e1\n";
    const result = await importPeople(core, Buffer.from(people), "test");
    expect(result.ok && result.value.rejected.map((r) => r.line)).toEqual([2, 3]);
    const huge = `case_ref,service_area,status,lead_professional_email,lp_manager_email,primary_need\nCAF-1,A,open,,,${"x".repeat(1_000_000)}\nCAF-2,A,open,,,Parenting\n`;
    const cases = await importCases(core, Buffer.from(huge), "test");
    expect(cases.ok && cases.value.rejected.map((r) => [r.line, r.reason])).toEqual([[2, expect.stringContaining("primary_need is 1000000 characters long")]]);
    expect((await core.cases.all()).map((c) => c.caseRef)).toEqual(["CAF-2"]);
  });
});
