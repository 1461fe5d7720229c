// The storage contract, run against the real Azure Tables API (Azurite): what every repository promises its callers.
import { describe, expect, it } from "vitest";
import type { CaseFile } from "../../src/domain/case-file";
import type { AllocationPlan } from "../../src/domain/allocation-plan";
import { createAuditRepository } from "../../src/storage/audit-repository";
import { createEventLog } from "../../src/storage/event-log";
import { newAudit } from "../../src/domain/audit";
import { createCaseRepository } from "../../src/storage/case-repository";
import { createPeopleRepository } from "../../src/storage/people-repository";
import { createDirectory } from "../../src/storage/directory";
import { createStaleCheckRepository } from "../../src/storage/stale-repository";
import { createOutboxStore } from "../../src/storage/outbox-store";
import type { StaleCheck } from "../../src/domain/stale-case";
import { KeyError } from "../../src/storage/keys";
import { ValueTooLongError } from "../../src/storage/values";
import { StorageError } from "../../src/app/errors";
import { freshTables } from "../support/tables";
import { newTier1Check, reminderAfter, type Tier1Check } from "../../src/domain/tier1";
import { createTier1Repository } from "../../src/storage/tier1-repository";
import { defaultToolkitDir, loadChecklist } from "../../src/toolkits/load-toolkits";

const aCase = (over: Partial<CaseFile> = {}): CaseFile => ({
  caseRef: "CAF-1",
  serviceArea: "Early Help North",
  status: "open",
  openedOn: "2026-01-05",
  closedOn: null,
  leadProfessionalEmail: "lp@example.gov.uk",
  lpManagerEmail: "manager@example.gov.uk",
  involvedEmails: ["other@example.gov.uk"],
  stepDown: false,
  ageBand: "5-10",
  primaryNeed: "Parenting",
  lastAuditedOn: null,
  missingFromRegisterSince: null,
  ...over,
});

const aPlan = (over: Partial<AllocationPlan> = {}): AllocationPlan => ({
  month: "2026-12",
  seed: 7,
  createdAt: "2026-12-01T09:00:00.000Z",
  createdBy: "test",
  dueOn: "2026-12-31",
  toolkitId: "tier2-caf",
  target: 1,
  openCount: 1,
  eligibleCount: 1,
  areas: [],
  assignments: [{ caseRef: "CAF-1", serviceArea: "Early Help North", auditorEmail: "a@example.gov.uk" }],
  unallocated: [],
  ...over,
});

describe("case repository", () => {
  it("stores and reads back every field of a case", async () => {
    const cases = createCaseRepository(await freshTables());
    await cases.saveMany([aCase(), aCase({ caseRef: "CAF-2", registerChangedOn: "2026-11-20" })], new Map());
    expect(await cases.all()).toEqual([aCase(), aCase({ caseRef: "CAF-2", registerChangedOn: "2026-11-20" })]);
  });

  it("keeps case references with / \\ # ? % unchanged", async () => {
    const cases = createCaseRepository(await freshTables());
    const refs = ["CAF/2024/001", "A\\B", "C#1?", "50%"];
    await cases.saveMany(refs.map((caseRef) => aCase({ caseRef, serviceArea: "Health/School nursing" })), new Map());
    expect((await cases.all()).map((c) => c.caseRef).sort()).toEqual([...refs].sort());
  });

  it("refuses a control character in a key before any request is made", async () => {
    const cases = createCaseRepository(await freshTables());
    const started = Date.now();
    await expect(cases.saveMany([aCase({ caseRef: "CAF\u00001" })], new Map())).rejects.toBeInstanceOf(KeyError);
    // Azurite would answer 500 and the SDK retry for seconds; refusing early keeps the person waiting for nothing.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("moves a case whose service area changed instead of keeping two copies", async () => {
    const cases = createCaseRepository(await freshTables());
    await cases.saveMany([aCase()], new Map());
    await cases.saveMany([aCase({ serviceArea: "Family Hubs" })], new Map([["CAF-1", "Early Help North"]]));
    expect((await cases.all()).map((c) => c.serviceArea)).toEqual(["Family Hubs"]);
  });

  it("refuses a value over the property limit with a sentence naming the field", async () => {
    const cases = createCaseRepository(await freshTables());
    const err = await cases.saveMany([aCase({ caseRef: "x".repeat(40_000) })], new Map()).catch((e) => e);
    expect(err).toBeInstanceOf(KeyError);
    const tooLong = await cases.saveMany([aCase({ involvedEmails: Array(2000).fill("someone.long@example.gov.uk") })], new Map()).catch((e) => e);
    expect(tooLong).toBeInstanceOf(ValueTooLongError);
    expect(tooLong.message).toContain("involved emails");
  });

  it("writes more than one transaction's worth (100) of rows in one partition", async () => {
    const cases = createCaseRepository(await freshTables());
    const many = Array.from({ length: 250 }, (_, i) => aCase({ caseRef: `CAF-${i}` }));
    await cases.saveMany(many, new Map());
    expect(await cases.all()).toHaveLength(250);
  });
});

describe("people repository", () => {
  it("finds a person by email whatever its case", async () => {
    const people = createPeopleRepository(await freshTables());
    const asha = { email: "asha@example.gov.uk", name: "Asha", roles: ["auditor" as const], serviceArea: null, managerEmail: null, monthlyCapacity: 2 };
    await people.saveMany([asha]);
    expect(await people.get("ASHA@example.gov.uk")).toEqual(asha);
    expect(await people.get("nobody@example.gov.uk")).toBeUndefined();
  });
});

describe("allocation repository", () => {
  it("lets exactly one of two runs claim a month", async () => {
    const allocations = createAuditRepository(await freshTables());
    const results = await Promise.all([allocations.claimPlan(aPlan({ seed: 1 })), allocations.claimPlan(aPlan({ seed: 2 }))]);
    expect(results.sort()).toEqual(["claimed", "taken"]);
    const stored = await allocations.getPlan("2026-12");
    expect(stored?.status).toBe("planned");
    expect([1, 2]).toContain(stored?.plan.seed);
  });

  it("refuses to mark a plan allocated with a stale version (ETag)", async () => {
    const allocations = createAuditRepository(await freshTables());
    await allocations.claimPlan(aPlan());
    const first = await allocations.getPlan("2026-12");
    await allocations.markAllocated("2026-12", first!.version);
    const err = await allocations.markAllocated("2026-12", first!.version).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.code).toBe("storage_precondition_failed");
  });

  it("stores a plan larger than one property (a 10,000-case council's month)", async () => {
    const allocations = createAuditRepository(await freshTables());
    const assignments = Array.from({ length: 400 }, (_, i) => ({
      caseRef: `CAF-${String(i).padStart(6, "0")}`,
      serviceArea: "A service area with quite a long name",
      auditorEmail: `auditor.number.${i}@example.gov.uk`,
    }));
    await allocations.claimPlan(aPlan({ assignments }));
    expect((await allocations.getPlan("2026-12"))?.plan.assignments).toEqual(assignments);
  });

  it("creates audits once: a second create of the same audit changes nothing", async () => {
    const allocations = createAuditRepository(await freshTables());
    const audit = newAudit({ month: "2026-12", caseRef: "CAF/1", serviceArea: "A", auditorEmail: "a@example.gov.uk", dueOn: "2026-12-31", toolkitId: "tier2-caf", allocatedAt: "x" });
    await allocations.claimPlan(aPlan());
    await allocations.createAudits("2026-12", [{ audit, outbox: [] }]);
    const first = await allocations.get("2026-12", "CAF/1");
    await allocations.update({ ...audit, status: "in_progress" }, first!.version, {});
    await allocations.createAudits("2026-12", [{ audit, outbox: [] }]);
    expect(await allocations.listMonth("2026-12")).toEqual([{ ...audit, status: "in_progress" }]);
    expect(await allocations.listMonth("2026-11")).toEqual([]);
  });

  it("refuses an audit update made from a stale version, so two devices cannot silently overwrite each other", async () => {
    const allocations = createAuditRepository(await freshTables());
    const audit = newAudit({ month: "2026-12", caseRef: "CAF-2", serviceArea: "A", auditorEmail: "a@example.gov.uk", dueOn: "2026-12-31", toolkitId: "tier2-caf", allocatedAt: "x" });
    await allocations.createAudits("2026-12", [{ audit, outbox: [] }]);
    const read = await allocations.get("2026-12", "CAF-2");
    await allocations.update({ ...audit, sectionIndex: 1 }, read!.version, {});
    const err = await allocations.update({ ...audit, sectionIndex: 2 }, read!.version, {}).catch((e) => e);
    expect(err.code).toBe("storage_precondition_failed");
    expect((await allocations.get("2026-12", "CAF-2"))?.audit.sectionIndex).toBe(1);
  });
});

describe("stale-case check repository", () => {
  const aCheck = (over: Partial<StaleCheck> = {}): StaleCheck => ({
    month: "2026-12",
    caseRef: "CAF/7",
    serviceArea: "Early Help North",
    leadProfessionalEmail: "lp@example.gov.uk",
    openedOn: "2024-05-01",
    lastActivityOn: "2025-01-10",
    askedAt: "2026-12-02T09:00:00.000Z",
    answer: null,
    ...over,
  });
  const card = { id: "stale:2026-12:CAF/7:card", recipientEmail: "lp@example.gov.uk", view: { template: "notice" as const, data: { title: "t", text: "x" } }, createdAt: "2026-12-02T09:00:00.000Z" };

  it("stores a check with its card once a month: a second create is refused as existing and adds no card", async () => {
    const tables = await freshTables();
    const checks = createStaleCheckRepository(tables);
    expect(await checks.create(aCheck(), [card])).toBe("created");
    expect(await checks.create(aCheck({ askedAt: "2026-12-03T09:00:00.000Z" }), [{ ...card, id: "other" }])).toBe("exists");
    expect(await checks.create(aCheck({ month: "2027-01" }), [])).toBe("created");
    expect((await checks.get("2026-12", "CAF/7"))?.check).toEqual(aCheck());
    expect((await checks.listMonth("2026-12")).map((c) => c.month)).toEqual(["2026-12"]);
    expect((await checks.all()).map((c) => c.month).sort()).toEqual(["2026-12", "2027-01"]);
    const outbox = createOutboxStore(tables, { now: () => new Date("2026-12-02T10:00:00Z") });
    expect((await outbox.undelivered()).map((m) => m.id)).toEqual([card.id]);
  });

  it("refuses an answer stored over a version someone else changed (ETag)", async () => {
    const checks = createStaleCheckRepository(await freshTables());
    await checks.create(aCheck(), []);
    const read = await checks.get("2026-12", "CAF/7");
    const answer = { outcome: "still_open" as const, at: "2026-12-04T10:00:00.000Z", by: "lp@example.gov.uk" };
    await checks.update(aCheck({ answer }), read!.version, {});
    const err = await checks.update(aCheck({ answer: { ...answer, at: "2026-12-05T10:00:00.000Z" } }), read!.version, {}).catch((e) => e);
    expect(err.code).toBe("storage_precondition_failed");
    expect((await checks.get("2026-12", "CAF/7"))?.check.answer).toEqual(answer);
  });
});

describe("event log", () => {
  it("appends events that are read back in order within their month", async () => {
    const events = createEventLog(await freshTables());
    const e = (at: string, type: string) => ({ at, actor: "cli:test", type, subject: "2026-11", data: { n: 1 } });
    await events.append(e("2026-11-02T10:00:00.000Z", "b"));
    await events.append(e("2026-11-01T10:00:00.000Z", "a"));
    await events.append(e("2026-12-01T10:00:00.000Z", "c"));
    expect((await events.listMonth("2026-11")).map((x: { type: string }) => x.type)).toEqual(["a", "b"]);
  });

  it("reads back events appended in the same millisecond in the order they were appended", async () => {
    const events = createEventLog(await freshTables());
    const types = Array.from({ length: 20 }, (_, i) => `step-${i}`);
    for (const type of types) await events.append({ at: "2026-11-20T10:00:00.000Z", actor: "cli:test", type, subject: "2026-11", data: {} });
    expect((await events.listMonth("2026-11")).map((x) => x.type)).toEqual(types);
  });

  it("still reads rows stored under the old time-then-random key, in time order among new ones", async () => {
    const tables = await freshTables();
    const events = createEventLog(tables);
    const row = (at: string, type: string) => ({ at, actor: "cli:test", type, subject: "2026-11", data: JSON.stringify({ old: true }) });
    await tables.table("Events").createEntity({ partitionKey: "2026-11", rowKey: "2026-11-02T10:00:00.000Z~ffffffff", ...row("2026-11-02T10:00:00.000Z", "old-b") });
    await tables.table("Events").createEntity({ partitionKey: "2026-11", rowKey: "2026-11-04T10:00:00.000Z~00000000", ...row("2026-11-04T10:00:00.000Z", "old-d") });
    await events.append({ at: "2026-11-01T10:00:00.000Z", actor: "cli:test", type: "new-a", subject: "2026-11", data: {} });
    await events.append({ at: "2026-11-03T10:00:00.000Z", actor: "cli:test", type: "new-c", subject: "2026-11", data: {} });
    const read = await events.listMonth("2026-11");
    expect(read.map((x) => x.type)).toEqual(["new-a", "old-b", "new-c", "old-d"]);
    expect(read[1]).toEqual({ at: "2026-11-02T10:00:00.000Z", actor: "cli:test", type: "old-b", subject: "2026-11", data: { old: true } });
  });
});

describe("people directory and channel identities", () => {
  it("keeps how to reach a person when the people file is imported again", async () => {
    const tables = await freshTables();
    const people = createPeopleRepository(tables);
    const directory = createDirectory(tables, people);
    const asha = { email: "asha@example.gov.uk", name: "Asha", roles: ["auditor" as const], serviceArea: null, managerEmail: null, monthlyCapacity: 2 };
    await people.saveMany([asha]);
    await directory.saveIdentity(asha.email, { channel: "teams", userKey: "aad-1", address: { conversation: { id: "a:1" } }, learntAt: "2026-11-01T09:00:00.000Z" });
    await people.saveMany([{ ...asha, monthlyCapacity: 1 }]);
    expect((await directory.identity(asha.email, "teams"))?.address).toEqual({ conversation: { id: "a:1" } });
    expect((await directory.findByChannelUser("teams", "aad-1"))?.monthlyCapacity).toBe(1);
  });

  it("finds a person with how to reach them in that channel, and nobody for an unknown user", async () => {
    const tables = await freshTables();
    const people = createPeopleRepository(tables);
    const directory = createDirectory(tables, people);
    const asha = { email: "asha@example.gov.uk", name: "Asha", roles: ["auditor" as const], serviceArea: null, managerEmail: null, monthlyCapacity: 2 };
    await people.saveMany([asha]);
    const slack = { channel: "slack" as const, userKey: "U1", address: { userId: "U1", dmChannel: "D1" }, learntAt: "2026-11-01T09:00:00.000Z" };
    await directory.saveIdentity(asha.email, slack);
    expect(await directory.findWithIdentity("slack", "U1")).toEqual({ person: await people.get(asha.email), identity: slack });
    expect(await directory.findWithIdentity("slack", "U2")).toBeUndefined();
    expect(await directory.findWithIdentity("teams", "U1")).toBeUndefined();
  });
});

describe("Tier 1 check repository", () => {
  const checklist = loadChecklist(defaultToolkitDir());
  const NOW = new Date("2026-11-20T10:00:00Z");
  const aCheck = (caseRef: string, eventOn: string) => newTier1Check({ caseRef, kind: "closure", eventOn, eventId: null }, aCase({ caseRef }), checklist, NOW);
  const card = (c: Tier1Check) => ({ id: `t1:${c.eventOn}:${c.key}:card`, recipientEmail: "manager@example.gov.uk", view: { template: "notice" as const, data: { title: c.caseRef, text: "x" } }, createdAt: NOW.toISOString() });

  it("stores each check once with its card: a second store of the same events keeps what is there and queues nothing new", async () => {
    const tables = await freshTables();
    const repo = createTier1Repository(tables);
    // More than one transaction's worth in a day, and a second day.
    const checks = [...Array.from({ length: 70 }, (_, i) => aCheck(`CAF/${i}`, "2026-11-02")), aCheck("CAF-X", "2026-11-03")];
    expect((await repo.createMany(checks.map((c) => ({ check: c, outbox: [card(c)] })))).created).toHaveLength(71);
    const again = await repo.createMany(checks.map((c) => ({ check: { ...c, status: "passed" as const }, outbox: [card(c)] })));
    expect(again).toEqual({ created: [], existing: 71 });
    expect((await repo.get("2026-11-02", "CAF/7|closure|2026-11-02"))!.check.status).toBe("waiting");
    expect(await createOutboxStore(tables, { now: () => NOW }).undelivered()).toHaveLength(71);
  });

  it("refuses an update from a stale version, and lists a period's checks without touching the month's audit partition", async () => {
    const tables = await freshTables();
    const repo = createTier1Repository(tables);
    const audits = createAuditRepository(tables);
    const c = aCheck("CAF-1", "2026-11-30");
    await repo.createMany([{ check: c, outbox: [] }, { check: aCheck("CAF-2", "2026-12-01"), outbox: [] }]);
    const { version } = (await repo.get(c.eventOn, c.key))!;
    await repo.update({ ...c, status: "passed" }, version, {});
    await expect(repo.update({ ...c, status: "failed" }, version, {})).rejects.toMatchObject({ code: "storage_precondition_failed" });
    expect((await repo.listBetween("2026-11", "2026-11")).map((x) => [x.caseRef, x.status])).toEqual([["CAF-1", "passed"]]);
    expect(await repo.listBetween("2026-10", "2026-10")).toEqual([]);
    expect(await audits.listMonth("2026-11")).toEqual([]);
  });

  it("finds the checks whose reminder is due, from any day, and none once answered", async () => {
    const tables = await freshTables();
    const repo = createTier1Repository(tables);
    const due = newTier1Check({ caseRef: "CAF-1", kind: "closure", eventOn: "2026-10-02", eventId: null }, aCase({ caseRef: "CAF-1" }), checklist, NOW, reminderAfter(NOW, 5));
    const later = newTier1Check({ caseRef: "CAF-2", kind: "closure", eventOn: "2026-11-19", eventId: null }, aCase({ caseRef: "CAF-2" }), checklist, new Date("2026-11-26T10:00:00Z"), reminderAfter(new Date("2026-11-26T10:00:00Z"), 5));
    await repo.createMany([{ check: due, outbox: [] }, { check: later, outbox: [] }]);
    const at = new Date("2026-11-27T09:00:00Z");
    const found = await repo.due(at);
    expect(found.map((f) => f.check.caseRef)).toEqual(["CAF-1"]);
    await repo.update({ ...due, status: "passed", nextReminderAt: null }, found[0]!.version, {});
    expect(await repo.due(at)).toEqual([]);
  });
});
