// Use case: an auditor opens an audit and works through it, section by section, to submission.
// Every change is stored with the audit's ETag: a second device or a retried click never silently overwrites.
import type { FieldProblem } from "../../domain/answers";
import { firstIncompleteSection, mayWork, reopenForCorrection, saveFinalDraft, saveSection, start, submit, type Audit, type Refusal } from "../../domain/audit";
import type { Person } from "../../domain/person";
import type { Toolkit } from "../../domain/toolkit";
import { currentView, finalView, noticeView, sectionView, submittedView } from "../cards/audit-views";
import { overlongInputs, readFinalInput, readSectionInput } from "../cards/card-input";
import type { AuditRef, Form, WorkVerb } from "../commands";
import type { ChatDeps, ChatReply } from "../chat-deps";
import { canonical } from "../../domain/case-file";
import { retryOnLostRace } from "../etag-retry";
import type { OutboxMessage } from "../delivery/outbox";
import type { Feedback } from "../../domain/feedback";
import type { AuditEvent } from "../ports";
import { feedbackOnSubmit } from "../feedback/feedback-on-submit";
import { auditHeldBy } from "./audit-held-by";
import { moderationOnSubmit, type ModeratedSubmission } from "./moderation-on-submit";
import { selfAssessmentLine } from "../cards/self-assessment-views";


interface Loaded {
  audit: Audit;
  version: string;
  toolkit: Toolkit;
}

/** Reads the audit and checks the person may work on it; a refusal is a reply, never an exception. */
async function load(deps: ChatDeps, actor: Person, month: string, caseRef: string): Promise<Loaded | ChatReply> {
  const found = await auditHeldBy(deps.allocations, month, caseRef, actor.email);
  // Same words for "no such audit" and "not yours": a stranger learns nothing about which cases exist.
  const refusal: Refusal | null = found ? mayWork(found.audit, actor.email) : { code: "not_your_audit", message: `Case ${caseRef} is not allocated to you, so you cannot open or change its audit. Ask the QA team if you think it should be.` };
  if (!found || refusal) {
    return { view: noticeView("You cannot open this audit", refusal!.message), inPlace: false, code: refusal!.code };
  }
  const toolkit = deps.toolkits.get(found.audit.toolkitId);
  if (!toolkit) throw new Error(`toolkit ${found.audit.toolkitId} of ${month}/${caseRef} is not loaded`);
  return { ...found, toolkit };
}

const isReply = (x: Loaded | ChatReply): x is ChatReply => "view" in x;

export async function workOnAudit(
  deps: ChatDeps,
  actor: Person,
  verb: WorkVerb,
  ref: AuditRef,
  data: Form,
): Promise<ChatReply> {
  let first: Loaded | undefined;
  const changedElsewhere = (): ChatReply => ({
    view: noticeView("Your audit changed on another device", "This audit was saved from somewhere else at the same moment. Open it again from My audits, check your answers and save again."),
    inPlace: false,
    code: "audit_conflict",
  });
  return retryOnLostRace<ChatReply>(async () => {
    const loaded = await load(deps, actor, ref.month, ref.caseRef);
    if (isReply(loaded)) return loaded;
    // Read again after a conflict: if the other write put different answers in the section this card saves, applying
    // ours on top would silently replace them. The person is told instead (a double click, same answers, goes on).
    if (first && sectionOverwritten(first, loaded, data)) return changedElsewhere();
    first ??= loaded;
    return await apply(deps, actor, verb, loaded, data);
  }, changedElsewhere);
}

function sectionOverwritten(first: Loaded, now: Loaded, data: Record<string, unknown>): boolean {
  const section = now.toolkit.sections.find((s) => s.id === data.sectionId);
  if (!section || now.audit.status === "submitted") return false;
  const was = first.audit.sections[section.id];
  const is = now.audit.sections[section.id];
  return canonical(was ?? {}) !== canonical(is ?? {}) && canonical(is ?? {}) !== canonical(readSectionInput(section, data));
}

async function apply(deps: ChatDeps, actor: Person, verb: WorkVerb, { audit, version, toolkit }: Loaded, data: Record<string, unknown>): Promise<ChatReply> {
  const store = async (next: Audit, along: Along = {}) => {
    const events = [
      // Whatever started it (Start audit, or a section saved from a card of an audit never started), the trail says when.
      ...(audit.status === "allocated" && next.status !== "allocated" ? [event(deps, actor, "audit_started", next)] : []),
      ...(along.event ? [event(deps, actor, along.event, next)] : []),
    ];
    const outbox = along.outbox ?? [];
    if (canonical(next) !== canonical(audit) || outbox.length > 0 || events.length > 0) await deps.allocations.update(next, version, { outbox, events }, along.feedback, along.moderation);
    return next;
  };
  if (audit.status === "submitted" && verb === "correctAudit") {
    const why = typeof data.correctionReason === "string" ? data.correctionReason : "";
    const reopened = reopenForCorrection(audit, toolkit, actor.email, why, deps.clock.now().toISOString());
    if ("problem" in reopened) return { view: noticeView("Say why it needs correcting", reopened.problem), inPlace: false, code: "correction_reason_missing" };
    const stored = await store(reopened, { event: "audit_reopened_for_correction" });
    return { view: finalView(stored, toolkit), inPlace: true };
  }
  if (audit.status === "submitted") {
    // A second click on Submit, or a retried invoke, lands here: one stored result, the same confirmation.
    return { view: submittedView(audit, toolkit, await selfAssessmentFor(deps, audit, toolkit)), inPlace: true, code: verb === "submitAudit" ? "audit_already_submitted" : "audit_submitted" };
  }
  if (verb === "correctAudit") return { view: currentView(audit, toolkit), inPlace: true, code: "audit_not_submitted" };
  if (verb === "startAudit") {
    const started = await store(start(audit));
    // In place: the allocation card (or the My audits list) turns into the audit, so no stale card says "Not started".
    return { view: currentView(started, toolkit), inPlace: true };
  }

  const tooLong = overlongInputs(data);
  const onFinal = audit.sectionIndex >= toolkit.sections.length;
  const sectionId = typeof data.sectionId === "string" ? data.sectionId : undefined;
  const sectionIndex = sectionId === undefined ? -1 : toolkit.sections.findIndex((s) => s.id === sectionId);

  if (sectionIndex >= 0) {
    const section = toolkit.sections[sectionIndex]!;
    const input = readSectionInput(section, data);
    const saved = audit.sections[section.id];
    // A retried or double-clicked save of a section already saved: do not rewind the auditor's place.
    if (verb === "saveSection" && saved && canonical(saved) === canonical(input) && audit.sectionIndex > sectionIndex) {
      return { view: currentView(audit, toolkit), inPlace: true, code: "section_already_saved" };
    }
    const move = verb === "saveSection" ? "forward" : verb === "previousSection" ? "back" : "stay";
    const result = saveSection(audit, toolkit, section.id, input, move);
    if (!result.ok || (move === "forward" && tooLong.length > 0)) {
      const problems = [...(result.ok ? [] : result.problems), ...tooLong];
      const kept = await store({ ...result.audit, sectionIndex });
      return { view: sectionView(kept, toolkit, sectionIndex, problems), inPlace: true, code: "section_invalid" };
    }
    const next = await store(result.audit);
    if (verb === "saveAndLeave") return { view: savedForLaterView(next, toolkit), inPlace: true };
    return { view: currentView(next, toolkit), inPlace: true };
  }

  if (onFinal || verb === "submitAudit") {
    const final = readFinalInput(data);
    if (verb === "submitAudit") {
      const result = submit(audit, toolkit, final, deps.clock.now().toISOString());
      if (result.ok && tooLong.length === 0) {
        // A moderated case's feedback waits for both audits (and an agreed grade when they differ).
        const moderated = result.audit.moderated ? await moderationOnSubmit(deps, result.audit, toolkit) : undefined;
        const { feedback, outbox } = moderated ?? (await feedbackOnSubmit(deps, result.audit, toolkit));
        const submitted = await store(result.audit, { outbox, feedback, moderation: moderated?.moderation, event: "audit_submitted" });
        return { view: submittedView(submitted, toolkit, await selfAssessmentFor(deps, submitted, toolkit)), inPlace: true };
      }
      const kept = await store(result.audit);
      if ("incompleteSection" in result) {
        const problems = firstIncompleteSection(kept, toolkit)?.problems ?? [];
        return { view: sectionView(kept, toolkit, result.incompleteSection, problems), inPlace: true, code: "audit_incomplete" };
      }
      const problems: FieldProblem[] = [...(result.ok ? [] : result.problems), ...tooLong];
      return { view: finalView(kept, toolkit, problems), inPlace: true, code: "final_invalid" };
    }
    const next = await store(saveFinalDraft(audit, toolkit, final, verb === "previousSection" ? "back" : "stay"));
    if (verb === "saveAndLeave") return { view: savedForLaterView(next, toolkit), inPlace: true };
    return { view: currentView(next, toolkit), inPlace: true };
  }
  return { view: currentView(audit, toolkit), inPlace: true, code: "card_out_of_date" };
}

function savedForLaterView(audit: Audit, toolkit: Toolkit) {
  const where = audit.sectionIndex >= toolkit.sections.length ? "the final page" : `section ${audit.sectionIndex + 1} of ${toolkit.sections.length}`;
  return noticeView(`Saved: ${audit.caseRef}`, `Your answers are saved. Open My audits when you are ready and you will carry on from ${where}.`);
}

/** What is stored with a change of the audit: the messages it sends, the feedback and moderation rows it writes, and the line of the trail it makes. */
interface Along {
  outbox?: OutboxMessage[];
  feedback?: Feedback;
  moderation?: ModeratedSubmission["moderation"];
  event?: string;
}

function event(deps: ChatDeps, actor: Person, type: string, audit: Audit): AuditEvent {
  return { at: deps.clock.now().toISOString(), actor: actor.email, type, subject: `${audit.month}/${audit.caseRef}`, data: { version: audit.version, status: audit.status } };
}

/** The lead professional's self-assessment beside this audit, for its auditor once it is submitted (never before). */
async function selfAssessmentFor(deps: ChatDeps, audit: Audit, toolkit: Toolkit): Promise<string> {
  const { stage } = deps.selfAssessment;
  if (audit.status !== "submitted" || audit.toolkitId !== stage.toolkit) return "";
  return selfAssessmentLine((await deps.selfAssessments.get(audit.month, audit.caseRef))?.selfAssessment, audit, toolkit, stage);
}
