// Rules for an auditor's section and final answers, and for grade scores.
import { describe, expect, it } from "vitest";
import {
  averageScore,
  gradeScore,
  isBelowGood,
  validateFinal,
  validateSection,
  type ActionRow,
  type FinalAnswers,
  type SectionAnswers,
} from "../../src/domain/answers";
import { toolkitSchema, type Toolkit } from "../../src/domain/toolkit";
import { isValidIsoDate } from "../../src/domain/working-days";

const EVIDENCE = "Plan reviewed at every TAF; the child's views are recorded.";
const OVERVIEW = "Assessment is thorough and the child is at its centre.";
const JUSTIFICATION = "The plan is SMART, reviewed regularly and the child's voice shapes it.";

/** A toolkit like Tier 2 in miniature: section 3 always applies, section 2 only for step-downs. */
function buildToolkit(): Toolkit {
  const grade = (value: string, label: string, score: number | null, belowGood: boolean) => ({ value, label, score, belowGood });
  const question = (id: string, number: string) => ({
    id,
    number,
    text: `Question ${number}`,
    scale: "caf-question",
    comment: { required: true, minLength: 20 },
  });
  return toolkitSchema.parse({
    id: "test-kit",
    name: "Test kit",
    version: 1,
    source: "test",
    scales: [
      { id: "caf-grade", options: [grade("good", "Good", 3, false), grade("inadequate", "Inadequate", 1, true)] },
      {
        id: "caf-question",
        options: [grade("good", "Good", 3, false), grade("inadequate", "Inadequate", 1, true), grade("not-applicable", "Not applicable", null, false)],
      },
    ],
    sections: [
      {
        id: "step-down",
        number: 2,
        title: "Step-down",
        appliesWhen: "step_down",
        questions: [question("unmet-needs", "2a")],
        overview: { prompt: "Overview", required: true, minLength: 20 },
      },
      {
        id: "assessment",
        number: 3,
        title: "Assessment",
        questions: [question("reason", "3a"), question("agencies", "3b"), question("gathering", "3c")],
        overview: { prompt: "Overview", required: true, minLength: 20 },
      },
    ],
    overall: { scale: "caf-grade", prompt: "Overall", justification: { required: true, minLength: 50 } },
    agreedActions: { prompt: "Actions", columns: { action: "Action", byWhom: "By whom", byWhen: "By when" }, minWhenBelowGood: 1 },
  });
}

const toolkit = buildToolkit();

function sectionAnswers(overrides: Partial<SectionAnswers> = {}): SectionAnswers {
  return {
    answers: {
      reason: { value: "good", comment: EVIDENCE },
      agencies: { value: "good", comment: EVIDENCE },
      gathering: { value: "inadequate", comment: EVIDENCE },
    },
    overview: OVERVIEW,
    ...overrides,
  };
}

function action(overrides: Partial<ActionRow> = {}): ActionRow {
  return { action: "Hold a TAF meeting with dad present", byWhom: "Lead Professional", byWhen: "2025-03-31", ...overrides };
}

function finalAnswers(overrides: Partial<FinalAnswers> = {}): FinalAnswers {
  return { overallGrade: "good", justification: JUSTIFICATION, actions: [], ...overrides };
}

const fieldsOf = (problems: { field: string }[]) => problems.map((p) => p.field);

describe("validateSection", () => {
  it("accepts a complete section", () => {
    expect(validateSection(toolkit, "assessment", sectionAnswers())).toEqual([]);
  });

  it("reports every short comment at once, each against its own field", () => {
    const short = (value: string) => ({ value, comment: "too few" });
    const problems = validateSection(
      toolkit,
      "assessment",
      sectionAnswers({ answers: { reason: short("good"), agencies: short("good"), gathering: short("good") } }),
    );
    expect(fieldsOf(problems)).toEqual(["reason.comment", "agencies.comment", "gathering.comment"]);
    expect(problems.every((p) => p.code === "comment_too_short")).toBe(true);
    expect(problems[1]!.message).toBe("Add evidence for question 3b: at least 20 characters (you have 7).");
  });

  it("reports missing answers, comments and overview together", () => {
    const problems = validateSection(toolkit, "assessment", { answers: {}, overview: "" });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "reason.answer:answer_missing",
      "reason.comment:comment_missing",
      "agencies.answer:answer_missing",
      "agencies.comment:comment_missing",
      "gathering.answer:answer_missing",
      "gathering.comment:comment_missing",
      "overview:overview_missing",
    ]);
  });

  it("rejects an answer that is not on the question's scale, naming the question", () => {
    const answers = { ...sectionAnswers().answers, agencies: { value: "outstanding", comment: EVIDENCE } };
    const problems = validateSection(toolkit, "assessment", sectionAnswers({ answers }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: "agencies.answer", code: "answer_not_on_scale" });
    expect(problems[0]!.message).toContain("question 3b");
  });

  it("rejects an overview that is too short after trimming", () => {
    const problems = validateSection(toolkit, "assessment", sectionAnswers({ overview: "   fine   " }));
    expect(problems).toEqual([expect.objectContaining({ field: "overview", code: "overview_too_short" })]);
    expect(problems[0]!.message).toContain("(you have 4)");
  });

  it("needs no answers when a step-down section is marked not applicable", () => {
    expect(validateSection(toolkit, "step-down", { answers: {}, overview: "", notApplicable: true })).toEqual([]);
  });

  it("still checks what was given in a step-down section marked not applicable", () => {
    const problems = validateSection(toolkit, "step-down", {
      answers: { "unmet-needs": { value: "maybe", comment: "short" } },
      overview: "",
      notApplicable: true,
    });
    expect(fieldsOf(problems)).toEqual(["unmet-needs.answer", "unmet-needs.comment"]);
  });

  it("refuses not applicable for a section that applies to every case", () => {
    const problems = validateSection(toolkit, "assessment", sectionAnswers({ notApplicable: true }));
    expect(problems).toEqual([expect.objectContaining({ field: "notApplicable", code: "not_applicable_not_allowed" })]);
  });
});

describe("validateFinal", () => {
  it("accepts a good grade with a justification and no actions", () => {
    expect(validateFinal(toolkit, finalAnswers())).toEqual([]);
  });

  it("requires at least one complete action when the grade is below good", () => {
    const problems = validateFinal(toolkit, finalAnswers({ overallGrade: "inadequate" }));
    expect(problems).toEqual([expect.objectContaining({ field: "actions", code: "actions_missing" })]);
  });

  it("accepts a below-good grade with one complete action", () => {
    expect(validateFinal(toolkit, finalAnswers({ overallGrade: "inadequate", actions: [action()] }))).toEqual([]);
  });

  it("treats a half-filled action row as a problem of its own and does not count it", () => {
    const problems = validateFinal(
      toolkit,
      finalAnswers({ overallGrade: "inadequate", actions: [action({ byWhom: "", byWhen: " " })] }),
    );
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "actions.0.byWhom:action_incomplete",
      "actions.0.byWhen:action_incomplete",
      "actions:actions_missing",
    ]);
    expect(problems[0]!.message).toBe('Fill in "By whom" for action 1, or clear the row.');
  });

  it("ignores a fully blank action row", () => {
    const blank = action({ action: "", byWhom: "", byWhen: "" });
    expect(validateFinal(toolkit, finalAnswers({ overallGrade: "inadequate", actions: [action(), blank] }))).toEqual([]);
  });

  it("rejects a by-when that is not a real yyyy-mm-dd date", () => {
    const problems = validateFinal(
      toolkit,
      finalAnswers({ actions: [action({ byWhen: "31/03/2025" }), action({ byWhen: "2025-02-29" })] }),
    );
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "actions.0.byWhen:action_date_invalid",
      "actions.1.byWhen:action_date_invalid",
    ]);
  });

  it("rejects a grade not on the overall scale and a short justification together", () => {
    const problems = validateFinal(toolkit, finalAnswers({ overallGrade: "not-applicable", justification: "Fine." }));
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "overallGrade:grade_not_on_scale",
      "justification:justification_too_short",
    ]);
  });

  it("requires a grade and a justification", () => {
    const problems = validateFinal(toolkit, finalAnswers({ overallGrade: "", justification: "" }));
    expect(problems.map((p) => p.code)).toEqual(["grade_missing", "justification_missing"]);
  });
});

describe("isValidIsoDate (used for action dates)", () => {
  it("accepts real days, including 29 February in a leap year", () => {
    expect(["2024-02-29", "2000-02-29", "2025-12-31", "2025-04-30"].every(isValidIsoDate)).toBe(true);
  });

  it("rejects impossible days and other formats", () => {
    expect(["1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-1-01", " 2025-01-01"].some(isValidIsoDate)).toBe(false);
  });
});

describe("scores", () => {
  it("gives the option's score, and null for Not applicable or an unknown value", () => {
    expect(gradeScore(toolkit, "caf-question", "good")).toBe(3);
    expect(gradeScore(toolkit, "caf-question", "not-applicable")).toBeNull();
    expect(gradeScore(toolkit, "caf-question", "nonsense")).toBeNull();
  });

  it("marks only below-good options as below good", () => {
    expect(isBelowGood(toolkit, "caf-grade", "inadequate")).toBe(true);
    expect(isBelowGood(toolkit, "caf-grade", "good")).toBe(false);
    expect(isBelowGood(toolkit, "caf-question", "not-applicable")).toBe(false);
  });

  it("averages the counted scores and ignores nulls", () => {
    expect(averageScore([4, null, 2, 3])).toBe(3);
  });

  it("has no average when nothing was counted", () => {
    expect(averageScore([])).toBeNull();
    expect(averageScore([null, null])).toBeNull();
  });
});
