// Checks an auditor's answers against a toolkit and scores grades. Pure: the chat channels and the CLI
// both call it, so every problem comes back at once with the input field it belongs to.
import { findScale, type Question, type Scale, type ScaleOption, type Section, type Toolkit } from "./toolkit";
import { isValidIsoDate } from "./working-days";

export type QuestionAnswer = { value: string; comment: string };

export type SectionAnswers = {
  /** Keyed by question id. */
  answers: Record<string, QuestionAnswer>;
  overview: string;
  /** Only honoured for sections that apply to some cases (appliesWhen "step_down"). */
  notApplicable?: boolean;
};

export type ActionRow = { action: string; byWhom: string; byWhen: string };

export type FinalAnswers = {
  overallGrade: string;
  justification: string;
  actions: ActionRow[];
};

/** `field` is the id of the input at fault, so a form can show the message beside it. */
export type FieldProblem = { field: string; code: string; message: string };

export function validateSection(toolkit: Toolkit, sectionId: string, input: SectionAnswers): FieldProblem[] {
  const section = findSection(toolkit, sectionId);
  const problems: FieldProblem[] = [];
  const skipped = input.notApplicable === true && section.appliesWhen === "step_down";
  if (input.notApplicable === true && section.appliesWhen !== "step_down") {
    problems.push({
      field: "notApplicable",
      code: "not_applicable_not_allowed",
      message: `Answer section ${section.number}: it applies to every case, so it cannot be marked not applicable.`,
    });
  }

  for (const question of section.questions) {
    const given = input.answers[question.id];
    problems.push(...checkAnswer(toolkit, question, given?.value ?? "", !skipped));
    problems.push(...checkComment(question, given?.comment ?? "", !skipped));
  }
  problems.push(...checkOverview(section, input.overview, !skipped));
  return problems;
}

export function validateFinal(toolkit: Toolkit, input: FinalAnswers): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const scale = findScale(toolkit, toolkit.overall.scale);
  const grade = input.overallGrade.trim();
  let option: ScaleOption | undefined;
  if (grade === "") {
    problems.push({ field: "overallGrade", code: "grade_missing", message: `Choose an overall grade: ${labels(scale)}.` });
  } else {
    option = scale.options.find((o) => o.value === grade);
    if (!option) {
      problems.push({
        field: "overallGrade",
        code: "grade_not_on_scale",
        message: `Choose an overall grade from the list: "${grade}" is not one of ${labels(scale)}.`,
      });
    }
  }

  const rule = toolkit.overall.justification;
  const justification = input.justification.trim();
  if (justification === "") {
    if (rule.required) {
      problems.push({
        field: "justification",
        code: "justification_missing",
        message: `Justify the overall grade: at least ${rule.minLength} characters.`,
      });
    }
  } else if (justification.length < rule.minLength) {
    problems.push({
      field: "justification",
      code: "justification_too_short",
      message: `Justify the overall grade: at least ${rule.minLength} characters (you have ${justification.length}).`,
    });
  }

  const { columns, minWhenBelowGood } = toolkit.agreedActions;
  let complete = 0;
  input.actions.forEach((row, i) => {
    const cells = { action: row.action.trim(), byWhom: row.byWhom.trim(), byWhen: row.byWhen.trim() };
    const filled = (Object.keys(cells) as (keyof ActionRow)[]).filter((k) => cells[k] !== "");
    // A blank row is what a form sends for an unused line; it is not an attempt at an action.
    if (filled.length === 0) return;
    if (filled.length === 3) complete += 1;
    for (const key of ["action", "byWhom", "byWhen"] as const) {
      if (cells[key] === "") {
        problems.push({
          field: `actions.${i}.${key}`,
          code: "action_incomplete",
          message: `Fill in "${columns[key]}" for action ${i + 1}, or clear the row.`,
        });
      }
    }
    if (cells.byWhen !== "" && !isValidIsoDate(cells.byWhen)) {
      problems.push({
        field: `actions.${i}.byWhen`,
        code: "action_date_invalid",
        message: `Give "${columns.byWhen}" for action ${i + 1} as a real date written yyyy-mm-dd, for example 2025-03-31 (you wrote "${cells.byWhen}").`,
      });
    }
  });
  if (option?.belowGood && complete < minWhenBelowGood) {
    const noun = minWhenBelowGood === 1 ? "action" : "actions";
    problems.push({
      field: "actions",
      code: "actions_missing",
      message: `Agree at least ${minWhenBelowGood} ${noun} to bring the case up to good, each with "${columns.action}", "${columns.byWhom}" and "${columns.byWhen}" (you have ${complete}).`,
    });
  }
  return problems;
}

/** The score of an answer, or null where it is not counted (Not applicable) or not on the scale. */
export function gradeScore(toolkit: Toolkit, scaleId: string, value: string): number | null {
  return findScale(toolkit, scaleId).options.find((o) => o.value === value)?.score ?? null;
}

export function isBelowGood(toolkit: Toolkit, scaleId: string, value: string): boolean {
  return findScale(toolkit, scaleId).options.find((o) => o.value === value)?.belowGood ?? false;
}

/** Mean of the counted scores; null when nothing was counted, so "no data" is never shown as zero. */
export function averageScore(scores: (number | null)[]): number | null {
  const counted = scores.filter((s): s is number => s !== null);
  if (counted.length === 0) return null;
  return counted.reduce((sum, s) => sum + s, 0) / counted.length;
}

function findSection(toolkit: Toolkit, sectionId: string): Section {
  const section = toolkit.sections.find((s) => s.id === sectionId);
  // Section ids come from the toolkit the caller is walking through, so a miss is a programming error.
  if (!section) throw new Error(`toolkit ${toolkit.id} has no section ${sectionId}`);
  return section;
}

function checkAnswer(toolkit: Toolkit, question: Question, raw: string, required: boolean): FieldProblem[] {
  const field = `${question.id}.answer`;
  const scale = findScale(toolkit, question.scale);
  const value = raw.trim();
  if (value === "") {
    if (!required) return [];
    return [{ field, code: "answer_missing", message: `Choose an answer for question ${question.number}: ${labels(scale)}.` }];
  }
  if (scale.options.some((o) => o.value === value)) return [];
  return [
    {
      field,
      code: "answer_not_on_scale",
      message: `Choose an answer from the list for question ${question.number}: "${value}" is not one of ${labels(scale)}.`,
    },
  ];
}

function checkComment(question: Question, raw: string, required: boolean): FieldProblem[] {
  const field = `${question.id}.comment`;
  const { minLength } = question.comment;
  const comment = raw.trim();
  if (comment === "") {
    if (!required || !question.comment.required) return [];
    return [{ field, code: "comment_missing", message: `Add evidence for question ${question.number}: at least ${minLength} characters.` }];
  }
  if (comment.length >= minLength) return [];
  return [
    {
      field,
      code: "comment_too_short",
      message: `Add evidence for question ${question.number}: at least ${minLength} characters (you have ${comment.length}).`,
    },
  ];
}

function checkOverview(section: Section, raw: string, required: boolean): FieldProblem[] {
  const { minLength } = section.overview;
  const overview = raw.trim();
  if (overview === "") {
    if (!required || !section.overview.required) return [];
    return [
      {
        field: "overview",
        code: "overview_missing",
        message: `Write a short overview of section ${section.number}: at least ${minLength} characters.`,
      },
    ];
  }
  if (overview.length >= minLength) return [];
  return [
    {
      field: "overview",
      code: "overview_too_short",
      message: `Write a short overview of section ${section.number}: at least ${minLength} characters (you have ${overview.length}).`,
    },
  ];
}

function labels(scale: Scale): string {
  return scale.options.map((o) => o.label).join(", ");
}
