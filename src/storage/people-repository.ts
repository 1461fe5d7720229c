// People table: one partition (the directory is small and read whole), row = email.
import type { PeopleRepository } from "../app/ports";
import type { Person, Role } from "../domain/person";
import { toKey } from "./keys";
import { getOrUndefined, listPartition, upsertInBatches, type Entity, type Tables } from "./tables";
import { submitDecision } from "./decision";
import { isTrailRow } from "./trail";
import { cappedString, jsonProperty } from "./values";

const PARTITION = "people";

export function createPeopleRepository(tables: Tables): PeopleRepository {
  const client = tables.table("People");
  const endpoint = tables.endpoint;
  return {
    async all() {
      return (await listPartition(client, endpoint, PARTITION)).filter((e) => !isTrailRow(e)).map(toPerson);
    },
    async get(email) {
      const e = await getOrUndefined(client, endpoint, PARTITION, toKey(email.toLowerCase(), "email"));
      return e ? toPerson(e) : undefined;
    },
    async setAway(email, until, effects = {}) {
      const row = { partitionKey: PARTITION, rowKey: toKey(email.toLowerCase(), "email"), awayUntil: until ?? "" };
      // A merge with no ETag: "away" is the person's own word and the last one said wins.
      await submitDecision(tables, "People", PARTITION, [["update", row, "Merge"]], effects);
    },
    async saveMany(people) {
      // Merge: a person's row also holds what the bot learnt (how to reach them); a new import must not erase it.
      await upsertInBatches(client, endpoint, people.map(toEntity), "Merge");
    },
  };
}

function toEntity(p: Person): Entity {
  return {
    partitionKey: PARTITION,
    rowKey: toKey(p.email, "email"),
    email: p.email,
    name: cappedString(p.name, "name"),
    roles: jsonProperty(p.roles, "roles"),
    serviceArea: p.serviceArea ?? "",
    managerEmail: p.managerEmail ?? "",
    monthlyCapacity: p.monthlyCapacity,
    chat: p.chat ?? "",
  };
}

export function toPerson(e: Entity): Person {
  return {
    email: String(e.email),
    name: String(e.name),
    roles: JSON.parse(String(e.roles)) as Role[],
    serviceArea: e.serviceArea ? String(e.serviceArea) : null,
    managerEmail: e.managerEmail ? String(e.managerEmail) : null,
    monthlyCapacity: Number(e.monthlyCapacity),
    ...(e.awayUntil ? { awayUntil: String(e.awayUntil) } : {}),
    ...(e.chat === "teams" || e.chat === "slack" ? { chat: e.chat } : {}),
  };
}
