// Cases table: partition = service area (sampling spreads by area), row = case reference.
import type { CaseRepository } from "../app/ports";
import type { CaseFile } from "../domain/case-file";
import { toKey } from "./keys";
import { getOrUndefined, guard, listWhere, upsertInBatches, type Entity, type Tables } from "./tables";
import { cappedString, jsonProperty } from "./values";

export function createCaseRepository(tables: Tables): CaseRepository {
  const client = tables.table("Cases");
  const endpoint = tables.endpoint;
  return {
    async all() {
      return (await listWhere(client, endpoint)).map(toCase);
    },
    async get(serviceArea, caseRef) {
      const e = await getOrUndefined(client, endpoint, toKey(serviceArea, "service area"), toKey(caseRef, "case reference"));
      return e ? toCase(e) : undefined;
    },
    async saveMany(cases, previousAreas) {
      // Insert the new row before deleting the old one, so a failure in between leaves a duplicate, never a loss.
      await upsertInBatches(client, endpoint, cases.map(toEntity));
      for (const c of cases) {
        const before = previousAreas.get(c.caseRef);
        if (before !== undefined && before !== c.serviceArea) {
          await guard(endpoint, () => client.deleteEntity(toKey(before, "service area"), toKey(c.caseRef, "case reference")));
        }
      }
    },
  };
}

function toEntity(c: CaseFile): Entity {
  return {
    partitionKey: toKey(c.serviceArea, "service area"),
    rowKey: toKey(c.caseRef, "case reference"),
    caseRef: cappedString(c.caseRef, "case reference"),
    serviceArea: cappedString(c.serviceArea, "service area"),
    status: c.status,
    openedOn: c.openedOn ?? "",
    closedOn: c.closedOn ?? "",
    leadProfessionalEmail: c.leadProfessionalEmail ?? "",
    lpManagerEmail: c.lpManagerEmail ?? "",
    involvedEmails: jsonProperty(c.involvedEmails, "involved emails"),
    stepDown: c.stepDown,
    ageBand: c.ageBand ?? "",
    primaryNeed: c.primaryNeed ?? "",
    lastAuditedOn: c.lastAuditedOn ?? "",
    missingFromRegisterSince: c.missingFromRegisterSince ?? "",
    registerChangedOn: c.registerChangedOn ?? "",
  };
}

const orNull = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function toCase(e: Entity): CaseFile {
  return {
    caseRef: String(e.caseRef),
    serviceArea: String(e.serviceArea),
    status: e.status === "closed" ? "closed" : "open",
    openedOn: orNull(e.openedOn),
    closedOn: orNull(e.closedOn),
    leadProfessionalEmail: orNull(e.leadProfessionalEmail),
    lpManagerEmail: orNull(e.lpManagerEmail),
    involvedEmails: JSON.parse(String(e.involvedEmails ?? "[]")) as string[],
    stepDown: e.stepDown === true,
    ageBand: orNull(e.ageBand),
    primaryNeed: orNull(e.primaryNeed),
    lastAuditedOn: orNull(e.lastAuditedOn),
    missingFromRegisterSince: orNull(e.missingFromRegisterSince),
    ...(orNull(e.registerChangedOn) ? { registerChangedOn: String(e.registerChangedOn) } : {}),
  };
}
