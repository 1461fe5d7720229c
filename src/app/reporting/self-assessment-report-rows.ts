// The report's Self-assessment sheet: one row per case whose lead professional was asked, with how far their own
// grades and the audit's agree. Like the Moderation sheet, no grade shows before the audit is submitted, and the
// lead professional's comment only with --include-text (names blanked).
import type { Audit } from "../../domain/audit";
import { selfAgreement, type SelfAssessment, type SelfAssessmentStage } from "../../domain/self-assessment";
import { optionLabel, type Toolkit } from "../../domain/toolkit";
import { reportKey, type Cell, type RowSet } from "./report-rows";

export const SELF_ASSESSMENT_COLUMNS = ["month", "case_ref", "service_area", "status", "self_grade", "audit_grade", "audit_less_self_steps", "questions_compared", "same_grade"] as const;

export interface SelfAssessmentReportInput {
  selfAssessments: readonly SelfAssessment[];
  audits: readonly Audit[];
  toolkits: ReadonlyMap<string, Toolkit>;
  stage: SelfAssessmentStage;
  includeText: boolean;
  clean: (text: string) => string;
}

export function selfAssessmentRows(input: SelfAssessmentReportInput): RowSet {
  const auditOf = new Map(input.audits.map((a) => [reportKey(a.month, a.caseRef), a]));
  const rows = [...input.selfAssessments]
    .sort((a, b) => a.month.localeCompare(b.month) || a.caseRef.localeCompare(b.caseRef))
    .map((s): Cell[] => {
      const audit = auditOf.get(reportKey(s.month, s.caseRef));
      const toolkit = input.toolkits.get(s.toolkitId);
      const both = s.status === "submitted" && audit?.status === "submitted" && toolkit !== undefined;
      const a = both ? selfAgreement(s, audit, toolkit, input.stage) : null;
      const label = (v: string | null | undefined): Cell => (both && v ? (optionLabel(toolkit!, toolkit!.overall.scale, v) ?? v) : null);
      return [
        s.month,
        s.caseRef,
        s.serviceArea,
        s.status === "submitted" ? (audit?.status === "submitted" ? "compared" : "sent, audit not yet in") : "not sent",
        label(s.overallGrade),
        label(audit?.final?.overallGrade),
        a?.overallSteps ?? null,
        a ? a.questions : null,
        a ? a.sameGrade : null,
        ...(input.includeText ? [both && s.comment ? input.clean(s.comment) : null] : []),
      ];
    });
  return { name: "Self-assessment", columns: [...SELF_ASSESSMENT_COLUMNS, ...(input.includeText ? ["lp_comment"] : [])], rows };
}
