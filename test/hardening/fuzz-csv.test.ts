// Hardening (issue 10): property-based fuzz of the register and people importers, called as use cases on Azurite.
// Files as councils' exports really break them: random bytes, malformed and unterminated quotes, NUL bytes, UTF-16
// without its BOM, Windows-1252, a 1 MB line, random column orders and header case, duplicate headers, CR/LF/CRLF.
// Properties:
// 1. the importers never throw: a file is either imported (each rejected row with its line and reason) or refused
//    whole with one of the documented codes and a sentence that says what to do;
// 2. a valid file mixed with bad rows stores exactly the valid rows, and every bad row is reported on its own line
//    and never stored;
// 3. a file broken as a whole (quotes, NUL, encoding, duplicate or missing columns) is refused and changes nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/app/errors";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { fixedClock, freshCore } from "../support/tables";

const ACTOR = "cli:qa";
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const MB = 1_000_000;

/** The refusals the README documents, each with the sentence shape the CLI prints on stderr. */
const REFUSALS = ["csv_not_csv", "csv_malformed", "csv_missing_columns", "csv_duplicate_columns", "import_mass_closure"];
const SENTENCE = /^(The|This) [^\n]{10,400}\.$/;

function expectDocumentedOutcome(result: Result<{ rejected: { line: number; reason: string }[] }>) {
  if (result.ok) {
    for (const p of result.value.rejected) {
      expect(p.line).toBeGreaterThanOrEqual(2);
      expect(p.reason.length).toBeGreaterThan(5);
    }
    return;
  }
  expect(REFUSALS).toContain(result.problem.code);
  expect(result.problem.message).toMatch(SENTENCE);
}

// ---------------------------------------------------------------------------------------------------------------
// Writing CSV files the way different exports do
// ---------------------------------------------------------------------------------------------------------------

type Encoding = "utf8" | "utf8-bom" | "utf16le-bom" | "utf16be-bom" | "windows-1252";

interface Style {
  order: number[]; // a permutation of the columns
  headerCase: "lower" | "upper" | "title";
  headerSpaces: boolean;
  quoteAll: boolean;
  eol: "\n" | "\r\n" | "\r";
  encoding: Encoding;
  extraColumn: boolean;
}

const styleFor = (columnCount: number) =>
  fc.record({
    order: fc.shuffledSubarray(Array.from({ length: columnCount }, (_, i) => i), { minLength: columnCount, maxLength: columnCount }),
    headerCase: fc.constantFrom("lower" as const, "upper" as const, "title" as const),
    headerSpaces: fc.boolean(),
    quoteAll: fc.boolean(),
    eol: fc.constantFrom("\n" as const, "\r\n" as const, "\r" as const),
    encoding: fc.constantFrom<Encoding>("utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "windows-1252"),
    extraColumn: fc.boolean(),
  });

const field = (v: string, quoteAll: boolean) => (quoteAll || /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);

function header(name: string, s: Style): string {
  const cased = s.headerCase === "upper" ? name.toUpperCase() : s.headerCase === "title" ? name.replace(/(^|_)([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase()) : name;
  return s.headerSpaces ? ` ${cased} ` : cased;
}

/** The file's text, and the line each data row starts on (blank lines and quoted line breaks counted). */
function writeCsv(columns: readonly string[], rows: readonly Record<string, string>[], blankAfter: readonly boolean[], s: Style): { text: string; lines: number[] } {
  const cols = s.order.map((i) => columns[i]!);
  const names = [...cols, ...(s.extraColumn ? ["notes"] : [])];
  const out = [names.map((c) => field(header(c, s), s.quoteAll)).join(",")];
  const lines: number[] = [];
  let line = 2;
  rows.forEach((r, i) => {
    lines.push(line);
    const cells = [...cols.map((c) => r[c] ?? ""), ...(s.extraColumn ? ["ignored, by the importer"] : [])];
    const text = cells.map((v) => field(v, s.quoteAll)).join(",");
    out.push(text);
    line += 1 + (text.match(/\n/g)?.length ?? 0);
    if (blankAfter[i]) {
      out.push("");
      line += 1;
    }
  });
  return { text: out.join(s.eol) + s.eol, lines };
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from("\ufeff" + text, "utf8");
    case "utf16le-bom":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be-bom":
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    case "windows-1252":
      // Only Latin-1 letters above 0x9f are generated, where Windows-1252 and Latin-1 agree.
      return Buffer.from(text, "latin1");
  }
}

/** Words with the accents council names carry; all inside Latin-1 so the Windows-1252 export can hold them. */
const word = fc.constantFrom("Early Help", "Family Hubs", "Zoë", "Renée", "Siân", "Ñúñez", "Björk", "O'Brien", "Smith, J", 'The "Hub"', "Ça va");
const refChars = fc.constantFrom(..."ABCXYZ0123456789-/\\#?%_.".split(""));

// ---------------------------------------------------------------------------------------------------------------
// The case register
// ---------------------------------------------------------------------------------------------------------------

const CASE_COLUMNS = ["case_ref", "service_area", "status", "opened_on", "lead_professional_email", "lp_manager_email", "step_down", "primary_need"] as const;
type CaseRow = Record<(typeof CASE_COLUMNS)[number], string>;

interface ValidCase {
  row: CaseRow;
  expect: { caseRef: string; serviceArea: string; status: string; openedOn: string; leadProfessionalEmail: string; lpManagerEmail: string; primaryNeed: string | null };
}

/** A valid register row; the reference carries the characters Azure keys cannot (/ \ # ? %) and the index keeps it unique. */
const validCase = (i: number): fc.Arbitrary<ValidCase> =>
  fc
    .record({
      suffix: fc.array(refChars, { maxLength: 6 }).map((a) => a.join("")),
      area: word,
      status: fc.constantFrom("open", "closed", "OPEN", " Open "),
      day: fc.integer({ min: 1, max: 28 }),
      month: fc.integer({ min: 1, max: 12 }),
      isoDate: fc.boolean(),
      lp: fc.constantFrom("Farah.Khan@Example.gov.uk", "lp@council.gov.uk"),
      need: fc.oneof(fc.constant(""), word, fc.tuple(word, word).map(([a, b]) => `${a}\n${b}`)),
    })
    .map((r) => {
      const dd = String(r.day).padStart(2, "0");
      const mm = String(r.month).padStart(2, "0");
      const caseRef = `R${i}${r.suffix}Z`;
      return {
        row: { case_ref: caseRef, service_area: r.area, status: r.status, opened_on: r.isoDate ? `2025-${mm}-${dd}` : `${dd}/${mm}/2025`, lead_professional_email: r.lp, lp_manager_email: "manager@council.gov.uk", step_down: "no", primary_need: r.need },
        expect: { caseRef, serviceArea: r.area, status: r.status.trim().toLowerCase(), openedOn: `2025-${mm}-${dd}`, leadProfessionalEmail: r.lp.toLowerCase(), lpManagerEmail: "manager@council.gov.uk", primaryNeed: r.need === "" ? null : r.need },
      };
    });

/** Rows each importer must refuse on their own, with what makes them bad. */
const badCase = (i: number): fc.Arbitrary<{ row: CaseRow; why: string }> => {
  const base: CaseRow = { case_ref: `B${i}Z`, service_area: "North", status: "open", opened_on: "01/02/2025", lead_professional_email: "lp@council.gov.uk", lp_manager_email: "m@council.gov.uk", step_down: "", primary_need: "" };
  return fc.constantFrom(
    { row: { ...base, case_ref: "" }, why: "no case_ref" },
    { row: { ...base, status: "pending" }, why: "unknown status" },
    { row: { ...base, opened_on: "31/02/2026" }, why: "impossible date" },
    { row: { ...base, lead_professional_email: "not an email" }, why: "bad email" },
    { row: { ...base, case_ref: `B${i}\u0001Z` }, why: "control character in the reference" },
    { row: { ...base, case_ref: `B${i}\u0085Z` }, why: "C1 control character in the reference" },
    { row: { ...base, case_ref: `B${i}`.padEnd(101, "x") }, why: "reference over 100 characters" },
    { row: { ...base, service_area: "S".repeat(2001) }, why: "overlong service area" },
    { row: { ...base, step_down: "maybe" }, why: "step_down not yes or no" },
    { row: { ...base, primary_need: "n".repeat(MB) }, why: "a 1 MB line" },
  );
};

interface MixedFile {
  rows: ({ kind: "valid"; v: ValidCase } | { kind: "bad"; row: CaseRow; why: string } | { kind: "duplicate"; of: number; row: CaseRow })[];
  blankAfter: boolean[];
  style: Style;
}

const mixedRegister: fc.Arbitrary<MixedFile> = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }))
  .chain(([nValid, nBad, nDup]) =>
    fc.record({
      valid: fc.tuple(...Array.from({ length: nValid }, (_, i) => validCase(i))),
      bad: fc.tuple(...Array.from({ length: nBad }, (_, i) => badCase(i))),
      dups: fc.array(fc.integer({ min: 0, max: nValid - 1 }), { minLength: nDup, maxLength: nDup }),
      style: styleFor(CASE_COLUMNS.length),
      seed: fc.integer(),
      blanks: fc.array(fc.boolean(), { minLength: nValid + nBad + nDup, maxLength: nValid + nBad + nDup }),
    }),
  )
  .map(({ valid, bad, dups, style, seed, blanks }) => {
    // Bad rows and duplicates go anywhere after the valid row they repeat; at most one 1 MB line per file.
    let mb = 0;
    const badRows = bad.filter((b) => b.why !== "a 1 MB line" || mb++ === 0);
    const rows: MixedFile["rows"] = valid.map((v) => ({ kind: "valid" as const, v }));
    let s = seed;
    const at = (n: number) => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s % (n + 1));
    for (const b of badRows) rows.splice(at(rows.length), 0, { kind: "bad", ...b });
    for (const d of dups) {
      const first = rows.findIndex((r) => r.kind === "valid" && r.v === valid[d]);
      rows.splice(first + 1 + at(rows.length - first - 1), 0, { kind: "duplicate", of: d, row: { ...valid[d]!.row, service_area: "Somewhere Else" } });
    }
    return { rows, blankAfter: blanks, style };
  });

const rowOf = (r: MixedFile["rows"][number]) => (r.kind === "valid" ? r.v.row : r.row);

describe("fuzz the CSV importers", () => {
  it("never throws on random bytes or text: imported with reasons, or refused with a documented sentence", async () => {
    const { core } = await freshCore();
    const header = Buffer.from(CASE_COLUMNS.join(",") + "\n");
    const peopleHeader = Buffer.from("email,name,roles\n");
    const anyFile = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.concat([header, Buffer.from(b)])),
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.concat([peopleHeader, Buffer.from(b)])),
      fc.string({ unit: "binary", maxLength: 2000 }).map((t) => Buffer.from(CASE_COLUMNS.join(",") + "\n" + t)),
      fc.string({ unit: fc.constantFrom('"', ",", "\n", "\r", "a", "@", ";", " ", "\u0000", "é", "\ufeff"), maxLength: 400 }).map((t) => Buffer.from("email,name,roles\n" + t)),
    );
    await fc.assert(
      fc.asyncProperty(anyFile, async (bytes) => {
        expectDocumentedOutcome(await importCases(core, bytes, ACTOR));
        expectDocumentedOutcome(await importPeople(core, bytes, ACTOR));
      }),
      { numRuns: 150, seed: SEED },
    );
  }, 120_000);

  it("stores exactly the valid rows of a register mixed with bad ones, in any column order, quoting, line ending and encoding", async () => {
    await fc.assert(
      fc.asyncProperty(mixedRegister, async (file) => {
        const { core } = await freshCore({}, fixedClock("2026-11-20T10:00:00Z"));
        const { text, lines } = writeCsv(CASE_COLUMNS, file.rows.map(rowOf), file.blankAfter, file.style);
        const result = await importCases(core, encode(text, file.style.encoding), ACTOR);
        if (!result.ok) throw new Error(`refused: ${result.problem.code}: ${result.problem.message}`);

        // Every bad row and every repeat is reported, on the line it starts on, and nothing else is.
        const expectedLines = file.rows.map((r, i) => (r.kind === "valid" ? null : lines[i]!)).filter((l): l is number => l !== null);
        expect(result.value.rejected.map((p) => p.line).sort((a, b) => a - b)).toEqual(expectedLines);
        for (const [i, r] of file.rows.entries()) {
          if (r.kind === "duplicate") expect(result.value.rejected.find((p) => p.line === lines[i])?.code).toBe("row_duplicate");
        }

        // Exactly the valid rows are stored, each as written (the first of a repeated reference wins).
        const valid = file.rows.flatMap((r) => (r.kind === "valid" ? [r.v.expect] : []));
        const stored = (await core.cases.all()).map((c) => ({ caseRef: c.caseRef, serviceArea: c.serviceArea, status: c.status, openedOn: c.openedOn, leadProfessionalEmail: c.leadProfessionalEmail, lpManagerEmail: c.lpManagerEmail, primaryNeed: c.primaryNeed }));
        const byRef = (a: { caseRef: string }, b: { caseRef: string }) => (a.caseRef < b.caseRef ? -1 : 1);
        expect(stored.sort(byRef)).toEqual([...valid].sort(byRef));
        expect(result.value.added).toBe(valid.length);
      }),
      { numRuns: 80, seed: SEED },
    );
  }, 120_000);

  it("refuses a register or people file broken as a whole, says why in a sentence, and changes nothing", async () => {
    const { core } = await freshCore();
    const good = "case_ref,service_area,status,lead_professional_email,lp_manager_email\nK-1,North,open,lp@council.gov.uk,m@council.gov.uk\nK-2,South,open,lp@council.gov.uk,m@council.gov.uk\n";
    expect((await importCases(core, Buffer.from(good), ACTOR)).ok).toBe(true);
    expect((await importPeople(core, Buffer.from("email,name,roles\nasha@council.gov.uk,Asha,auditor\n"), ACTOR)).ok).toBe(true);
    const state = async () => JSON.stringify([await core.cases.all(), await core.people.all()]);
    const before = await state();

    const registerRows = fc.array(validCase(0), { minLength: 1, maxLength: 5 }).map((vs) => vs.map((v, i) => ({ ...v.row, case_ref: `X${i}-${v.row.case_ref}` })));
    const broken = fc.oneof(
      // An unterminated quote: the rest of the file would be one field.
      fc.tuple(registerRows, fc.nat()).map(([rows, n]) => {
        const { text } = writeCsv(CASE_COLUMNS, rows, [], { order: CASE_COLUMNS.map((_, i) => i), headerCase: "lower", headerSpaces: false, quoteAll: false, eol: "\n", encoding: "utf8", extraColumn: false });
        const at = text.indexOf("\n") + 1 + (n % (text.length - text.indexOf("\n") - 1));
        return { what: "unterminated quote", bytes: Buffer.from(text.slice(0, at) + ',"never closed' + text.slice(at)), codes: ["csv_malformed"] };
      }),
      // A quote in the middle of an unquoted field.
      registerRows.map((rows) => ({ what: "stray quote", bytes: Buffer.from(CASE_COLUMNS.join(",") + "\n" + rows.map((r) => CASE_COLUMNS.map((c) => r[c]).join(",")).join("\n").replace(/,/, ',ab"cd') + "\n"), codes: ["csv_malformed"] })),
      // NUL bytes anywhere: a binary file, not a CSV export.
      fc.tuple(registerRows, fc.nat()).map(([rows, n]) => {
        const bytes = Buffer.from(CASE_COLUMNS.join(",") + "\n" + rows.map((r) => CASE_COLUMNS.map((c) => field(r[c], true)).join(",")).join("\n") + "\n");
        const at = n % bytes.length;
        return { what: "NUL byte", bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]), codes: ["csv_not_csv"] };
      }),
      // UTF-16 without its byte order mark: every other byte is NUL.
      registerRows.map((rows) => ({ what: "UTF-16 without BOM", bytes: Buffer.from(CASE_COLUMNS.join(",") + "\n" + rows.map((r) => CASE_COLUMNS.map((c) => field(r[c], false)).join(",")).join("\n"), "utf16le"), codes: ["csv_not_csv"] })),
      // A column named twice (which lead professional? which roles?).
      fc.constantFrom(...CASE_COLUMNS.slice(0, 6)).map((dup) => ({ what: `two ${dup} columns`, bytes: Buffer.from(`${CASE_COLUMNS.join(",")},${dup.toUpperCase()}\nD-1,North,open,01/01/2025,lp@council.gov.uk,m@council.gov.uk,no,,other@council.gov.uk\n`), codes: ["csv_duplicate_columns"] })),
      fc.constantFrom("email", "roles", "name").map((dup) => ({ what: `two ${dup} columns (people)`, bytes: Buffer.from(`email,name,roles, ${dup} \nben@council.gov.uk,Ben,auditor,qa\n`), codes: ["csv_duplicate_columns"], people: true })),
      // A required column missing, the rest in any order.
      fc.constantFrom(...CASE_COLUMNS.slice(0, 3), "lead_professional_email", "lp_manager_email").map((gone) => ({ what: `no ${gone}`, bytes: Buffer.from(CASE_COLUMNS.filter((c) => c !== gone).join(",") + "\nM-1,North,open\n"), codes: ["csv_missing_columns"] })),
      fc.constantFrom("", "\n\n", "   ", "\ufeff", "\r\n").map((t) => ({ what: "empty", bytes: Buffer.from(t), codes: ["csv_not_csv"] })),
      // Random bytes that are not text at all.
      fc.uint8Array({ minLength: 1, maxLength: 500 }).map((b) => ({ what: "random bytes", bytes: Buffer.concat([Buffer.from([0]), Buffer.from(b)]), codes: ["csv_not_csv"] })),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (f) => {
        const result = "people" in f ? await importPeople(core, f.bytes, ACTOR) : await importCases(core, f.bytes, ACTOR);
        expect(result.ok, f.what).toBe(false);
        if (result.ok) return;
        expect(f.codes, `${f.what}: ${result.problem.message}`).toContain(result.problem.code);
        expect(result.problem.message).toMatch(SENTENCE);
        expect(await state(), `${f.what} changed nothing`).toBe(before);
      }),
      { numRuns: 100, seed: SEED },
    );
  }, 120_000);

  it("stores exactly the valid people of a file mixed with bad rows", async () => {
    const PEOPLE_COLUMNS = ["email", "name", "roles", "service_area", "manager_email", "monthly_capacity"] as const;
    type PersonRow = Record<(typeof PEOPLE_COLUMNS)[number], string>;
    const validPerson = (i: number) =>
      fc.record({ name: word, roles: fc.subarray(["auditor", "qa", "fsm", "manager", "champion"], { minLength: 1 }), capacity: fc.integer({ min: 0, max: 10 }), upper: fc.boolean() }).map((p) => ({
        row: { email: p.upper ? `P${i}.Person@Council.gov.uk` : `p${i}.person@council.gov.uk`, name: p.name, roles: p.roles.join(";"), service_area: "", manager_email: "", monthly_capacity: String(p.capacity) } as PersonRow,
        expect: { email: `p${i}.person@council.gov.uk`, name: p.name, roles: [...p.roles].sort(), monthlyCapacity: p.capacity },
      }));
    const badPerson = (i: number) => {
      const base: PersonRow = { email: `bad${i}@council.gov.uk`, name: "Bad", roles: "auditor", service_area: "", manager_email: "", monthly_capacity: "1" };
      return fc.constantFrom<PersonRow>(
        { ...base, email: "not-an-email" },
        { ...base, name: "" },
        { ...base, roles: "auditor;wizard" },
        { ...base, roles: "" },
        { ...base, monthly_capacity: "11" },
        { ...base, monthly_capacity: "-1" },
        { ...base, manager_email: "nobody" },
        { ...base, name: "N".repeat(MB) },
      );
    };
    const file = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }))
      .chain(([nv, nb]) => fc.record({ valid: fc.tuple(...Array.from({ length: nv }, (_, i) => validPerson(i))), bad: fc.tuple(...Array.from({ length: nb }, (_, i) => badPerson(i))), style: styleFor(PEOPLE_COLUMNS.length), badFirst: fc.boolean() }));
    await fc.assert(
      fc.asyncProperty(file, async ({ valid, bad, style, badFirst }) => {
        const { core } = await freshCore();
        const oneMb = bad.filter((b) => b.name.length === MB).slice(1);
        const badRows = bad.filter((b) => !oneMb.includes(b));
        const rows = badFirst ? [...badRows, ...valid.map((v) => v.row)] : [...valid.map((v) => v.row), ...badRows];
        const { text, lines } = writeCsv(PEOPLE_COLUMNS, rows, [], style);
        const result = await importPeople(core, encode(text, style.encoding), ACTOR);
        if (!result.ok) throw new Error(`refused: ${result.problem.message}`);
        const badLines = rows.map((r, i) => (badRows.includes(r) ? lines[i]! : null)).filter((l): l is number => l !== null);
        expect(result.value.rejected.map((p) => p.line).sort((a, b) => a - b)).toEqual(badLines);
        const stored = (await core.people.all()).map((p) => ({ email: p.email, name: p.name, roles: [...p.roles].sort(), monthlyCapacity: p.monthlyCapacity }));
        const byEmail = (a: { email: string }, b: { email: string }) => (a.email < b.email ? -1 : 1);
        expect(stored.sort(byEmail)).toEqual(valid.map((v) => v.expect).sort(byEmail));
      }),
      { numRuns: 50, seed: SEED },
    );
  }, 120_000);
});
