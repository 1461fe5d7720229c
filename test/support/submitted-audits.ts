// Submitted audits built through the domain's own transitions (every section saved, then submitted), for figure tests.
import { newAudit, saveSection, submit, type Audit } from "../../src/domain/audit";
import type { Toolkit } from "../../src/domain/toolkit";

export const JUSTIFICATION_TEXT = "The plan drifted after the assessment and the child's voice faded from the reviews that followed.";

export function submittedAudit(toolkit: Toolkit, o: { caseRef: string; serviceArea: string; month: string; grade: string; belowGood?: readonly string[]; auditorEmail?: string }): Audit {
  let audit = newAudit({ caseRef: o.caseRef, serviceArea: o.serviceArea, auditorEmail: o.auditorEmail ?? "asha.patel@example.gov.uk", month: o.month, dueOn: `${o.month}-28`, toolkitId: toolkit.id, allocatedAt: `${o.month}-01T09:00:00.000Z` });
  for (const section of toolkit.sections) {
    const input =
      section.appliesWhen === "step_down"
        ? { answers: {}, overview: "", notApplicable: true }
        : { answers: Object.fromEntries(section.questions.map((q) => [q.id, { value: o.belowGood?.includes(q.id) ? "requires-improvement" : "good", comment: "Evidence from the case file and what it meant for the child." }])), overview: "A short overview of this section." };
    const saved = saveSection(audit, toolkit, section.id, input, "forward");
    if (!saved.ok) throw new Error(`section ${section.id}: ${JSON.stringify(saved.problems)}`);
    audit = saved.audit;
  }
  // Below good needs at least one agreed action; a good grade may have none.
  const actions = o.grade === "good" || o.grade === "outstanding" ? [] : [{ action: "Hold a TAF review with the school", byWhom: "Lead professional", byWhen: `${o.month}-28` }];
  const done = submit(audit, toolkit, { overallGrade: o.grade, justification: JUSTIFICATION_TEXT, actions }, `${o.month}-20T10:00:00.000Z`);
  if (!done.ok) throw new Error(`submit: ${JSON.stringify(done)}`);
  return done.audit;
}
