// When a message keeps failing to arrive, the QA team hears about it: case reference and recipient only.
import { hasRole } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { StoredOutbox } from "./outbox";
import type { OutboxStore, PeopleRepository } from "../ports";

export async function alertQaOfStuckMessage(deps: { people: PeopleRepository; outbox: OutboxStore; clock: { now(): Date } }, message: StoredOutbox): Promise<void> {
  const qa = (await deps.people.all()).filter((p) => hasRole(p, "qa") && p.email !== message.recipientEmail);
  const about = "caseRef" in message.view.data ? ` about case ${String(message.view.data.caseRef)}` : "";
  await deps.outbox.addBeside(
    message,
    qa.map((p) => ({
      id: `stuck:${message.id}:${p.email}`,
      recipientEmail: p.email,
      view: noticeView("A message is not getting through", `A message${about} to ${message.recipientEmail} has failed ${message.attempts} times (${message.lastError ?? "no answer"}). It keeps being retried; please check they can be reached another way.`),
      createdAt: deps.clock.now().toISOString(),
    })),
  );
}
