// Test data builders shared by the test files: a case file and an auditor with sensible defaults.
import type { CaseFile } from "../../src/domain/case-file";
import type { Person } from "../../src/domain/person";

let nextRef = 0;

/** A fresh open case with its own LP and manager; override what the test is about. */
export function aCase(overrides: Partial<CaseFile> = {}): CaseFile {
  nextRef++;
  return {
    caseRef: `CAF-${String(nextRef).padStart(5, "0")}`,
    serviceArea: "North",
    status: "open",
    openedOn: "2024-01-15",
    closedOn: null,
    leadProfessionalEmail: `lp${nextRef}@council.gov.uk`,
    lpManagerEmail: `manager${nextRef}@council.gov.uk`,
    involvedEmails: [],
    stepDown: false,
    ageBand: null,
    primaryNeed: null,
    lastAuditedOn: null,
    missingFromRegisterSince: null,
    ...overrides,
  };
}

export function anAuditor(name: string, capacity = 2, overrides: Partial<Person> = {}): Person {
  return { email: `${name}@example.gov.uk`, name, roles: ["auditor"], serviceArea: null, managerEmail: null, monthlyCapacity: capacity, ...overrides };
}
