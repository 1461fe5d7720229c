// A core view as a Teams message: the Adaptive Card from the shared template, with a one-line text for notifications.
import { CardFactory, type Attachment } from "botbuilder";
import type { View } from "../../app/cards/views";
export { summaryOf } from "../../app/cards/summary";
import { renderAdaptiveCard, withResentNote } from "../../cards/render-card";

export function cardAttachment(view: View, options: { resent?: boolean } = {}): Attachment {
  const card = renderAdaptiveCard(view);
  return CardFactory.adaptiveCard(options.resent ? withResentNote(card) : card);
}
