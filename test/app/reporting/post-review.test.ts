// The six-monthly service review reaches the CAF Champions Group with the digest in April and October, for the six
// months before: counts per service area against the six months before those, small areas hidden, no name or text
// anyone wrote, and a re-run of the job posts nothing twice. Real storage (Azurite); the job as the scheduler runs it.
import { describe, expect, it } from "vitest";
import { reviewDueIn } from "../../../src/app/reporting/post-review";
import { loadConfig } from "../../../src/config";
import { scheduledJobs } from "../../../src/jobs/jobs";
import { freshCore } from "../../support/tables";
import { JUSTIFICATION_TEXT, submittedAudit } from "../../support/submitted-audits";

describe("the six-monthly service review post", () => {
  it("is due on the April and October digest days only, for the six months before", () => {
    expect(reviewDueIn("2027-04")).toEqual({ from: "2026-10", to: "2027-03" });
    expect(reviewDueIn("2026-10")).toEqual({ from: "2026-04", to: "2026-09" });
    expect(["2026-11", "2026-12", "2027-01", "2027-03", "2027-05", "2027-09"].map(reviewDueIn)).toEqual([null, null, null, null, null, null]);
  });

  it("posts once to the Champions Group in April with each area's figures and the period before in brackets", async () => {
    const { core, clock } = await freshCore({}, undefined);
    const tier2 = core.toolkits.get("tier2-caf")!;
    const audit = (caseRef: string, serviceArea: string, month: string, grade: string) => ({ audit: submittedAudit(tier2, { caseRef, serviceArea, month, grade }), outbox: [] });
    await core.allocations.createAudits("2026-11", [
      audit("CAF-2001", "Early Help North", "2026-11", "good"),
      audit("CAF-2002", "Early Help North", "2026-11", "requires-improvement"),
      audit("CAF-2003", "Early Help North", "2026-11", "good"),
      audit("CAF-2004", "Early Help South", "2026-11", "inadequate"),
      // East's four protect South's one: with East "not shown", South's audit cannot be worked out from the total.
      ...["CAF-2006", "CAF-2007", "CAF-2008", "CAF-2009"].map((ref) => audit(ref, "Early Help East", "2026-11", "good")),
    ]);
    await core.allocations.createAudits("2026-07", [audit("CAF-2005", "Early Help North", "2026-07", "outstanding")]);
    clock.set("2027-04-08T09:00:00Z");
    const digestJob = scheduledJobs(core, loadConfig({})).find((j) => j.name === "monthly-digest")!;
    await digestJob.run("2027-04");
    await digestJob.run("2027-04");

    const posts = (await core.outbox.due(new Date("2027-05-01T00:00:00Z"))).filter((m) => m.id.startsWith("review:"));
    expect(posts.map((m) => [m.id, m.recipientEmail])).toEqual([["review:2026-10:2027-03", "group:champions"]]);
    const data = posts[0]!.view.data as { title: string; areas: { area: string; facts: { title: string; value: string }[] }[] };
    expect(data.title).toBe("CAF service review: October 2026 to March 2027");
    const north = data.areas.find((a) => a.area === "Early Help North")!;
    expect(north.facts.find((f) => f.title === "Audits")!.value).toBe("3 (not shown)");
    expect(north.facts.find((f) => f.title === "Grades")!.value).toBe("Outstanding 0, Good 2, Requires Improvement 1, Inadequate 0 (none)");
    // South's one audit is protected by East's four being "not shown"; the period before, with one audit in all, shows nothing.
    expect(data.areas.find((a) => a.area === "Early Help South")!.facts).toEqual([{ title: "Audits", value: "fewer than 3 (not shown)" }]);
    expect(data.areas.find((a) => a.area === "Early Help East")!.facts).toEqual([{ title: "Audits", value: "not shown (not shown)" }]);
    const text = JSON.stringify(posts[0]!.view);
    expect(text).not.toContain("Inadequate 1");
    expect(text).not.toMatch(/CAF-200\d/);
    expect(text).not.toContain(JUSTIFICATION_TEXT.slice(0, 30));
  });

  it("posts no review with the May digest", async () => {
    const { core, clock } = await freshCore({}, undefined);
    clock.set("2027-05-10T09:00:00Z");
    await scheduledJobs(core, loadConfig({})).find((j) => j.name === "monthly-digest")!.run("2027-05");
    expect((await core.outbox.due(new Date("2027-06-01T00:00:00Z"))).filter((m) => m.id.startsWith("review:"))).toEqual([]);
  });
});
