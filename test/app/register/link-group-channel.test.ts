// Who may make a team channel the Champions Group's digest channel: a champion or the QA team, nobody else, and an
// adder the directory does not know never. The rule is the core's, tested here without HTTP, on real storage.
import { describe, expect, it } from "vitest";
import { linkChampionsChannel } from "../../../src/app/register/link-group-channel";
import type { Person } from "../../../src/domain/person";
import { freshCore } from "../../support/tables";

const person = (email: string, roles: Person["roles"]): Person => ({ email, name: email, roles, serviceArea: null, managerEmail: null, monthlyCapacity: 0 });
const channel = (id: string) => ({ channel: "teams" as const, userKey: id, address: { conversation: { id } }, learntAt: "2026-12-01T09:00:00.000Z" });

describe("linkChampionsChannel", () => {
  it("links the channel when a champion or the QA team adds the bot", async () => {
    const { core } = await freshCore();
    for (const [adder, id] of [[person("nia@example.gov.uk", ["champion"]), "19:champions"], [person("kit@example.gov.uk", ["qa"]), "19:qa-team"]] as const) {
      const r = await linkChampionsChannel(core, adder, channel(id));
      expect(r).toMatchObject({ linked: true, view: { data: { title: "CAF audit digests" } } });
      expect((await core.directory.groupChannel("champions", "teams"))?.userKey).toBe(id);
    }
  });

  it("refuses anyone else, or someone it does not know, and the digests stay where they were", async () => {
    const { core } = await freshCore();
    await linkChampionsChannel(core, person("nia@example.gov.uk", ["champion"]), channel("19:champions"));
    for (const adder of [person("farah@example.gov.uk", ["lead_professional"]), person("ben@example.gov.uk", ["auditor", "manager"]), person("morgan@example.gov.uk", ["service_leader"]), undefined]) {
      const r = await linkChampionsChannel(core, adder, channel("19:elsewhere"));
      expect(r).toMatchObject({ linked: false, code: "group_channel_refused", view: { data: { title: "CAF audit digests go elsewhere" } } });
    }
    expect((await core.directory.groupChannel("champions", "teams"))?.userKey).toBe("19:champions");
  });
});
