// The sample data of every card template, typed against views.ts so a sample that drifts from its contract fails
// the typecheck. The Adaptive Card and the Slack golden tests both expand these.
import type { TemplateData } from "../../src/cards/render-card";
import allocation from "../../cards/allocation.sample.json";
import auditDecision from "../../cards/audit-decision.sample.json";
import moderation from "../../cards/moderation.sample.json";
import escalation from "../../cards/escalation.sample.json";
import feedback from "../../cards/feedback.sample.json";
import final from "../../cards/final.sample.json";
import myAudits from "../../cards/my-audits.sample.json";
import notice from "../../cards/notice.sample.json";
import raiseUnsafe from "../../cards/raise-unsafe.sample.json";
import section from "../../cards/section.sample.json";
import submitted from "../../cards/submitted.sample.json";
import digest from "../../cards/digest.sample.json";
import review from "../../cards/review.sample.json";
import recheck from "../../cards/recheck.sample.json";
import selfAssessment from "../../cards/self-assessment.sample.json";
import supervision from "../../cards/supervision.sample.json";
import staleCase from "../../cards/stale-case.sample.json";
import tier1Check from "../../cards/tier1-check.sample.json";

export const SAMPLES: TemplateData = {
  allocation,
  section,
  final,
  submitted,
  notice,
  "my-audits": myAudits,
  escalation,
  "raise-unsafe": raiseUnsafe,
  feedback,
  "audit-decision": auditDecision,
  moderation,
  digest,
  review,
  recheck,
  "self-assessment": selfAssessment,
  supervision,
  "stale-case": staleCase,
  "tier1-check": tier1Check,
};
