// Proactive delivery to Teams for the outbox relay: the stored conversation reference, a new card or an update
// in place, a timeout of our own, and Teams' answers translated into send / wait / retry.
import { ActivityTypes, type CloudAdapter, type ConversationReference, type TurnContext } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import type { DeliveryResult, Messenger } from "../../app/delivery/outbox-relay";
import type { Directory } from "../../app/ports";
import { cardAttachment, summaryOf } from "./render";
import { groupName, RESENT_NOTE } from "../../app/delivery/outbox";

export interface TeamsMessengerOptions {
  adapter: CloudAdapter;
  directory: Directory;
  appId: string;
  /** Teams sometimes accepts a request and never answers; past this we retry. */
  timeoutMs?: number;
}

export function createTeamsMessenger(options: TeamsMessengerOptions): Messenger {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async deliver(message, recipient, replacing, attempt): Promise<DeliveryResult> {
      const group = groupName(recipient.email);
      const identity = group ? await options.directory.groupChannel(group, "teams") : await options.directory.identity(recipient.email, "teams");
      if (!identity) return { kind: "unreachable" };
      const reference = identity.address as unknown as ConversationReference;
      const previous = replacing?.deliveredTo?.channel === "teams" ? replacing.deliveredTo : undefined;
      // An update replaces what is there, so only a new message can be a second copy and needs the note.
      const resent = attempt.resent && !previous;
      const summary = summaryOf(message.view);
      const activity = { type: ActivityTypes.Message, summary: resent ? `${summary} ${RESENT_NOTE}` : summary, attachments: [cardAttachment(message.view, { resent })] };
      let activityId = "";
      // The adapter hands an error thrown inside the callback to its onTurnError (which logs and swallows it),
      // so the callback keeps its own failure: otherwise a refused send would be recorded as delivered.
      let failure: { error: unknown } | undefined;
      try {
        await options.adapter.continueConversationAsync(options.appId, reference, async (context: TurnContext) => {
          try {
            const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
            const conversationId = reference.conversation.id;
            // From here Teams may show it. The id comes back only with the answer, and the relay stores it at once
            // (markSent is the next write), so no separate "landed" write would narrow anything for Teams.
            await attempt.sending();
            const abortSignal = AbortSignal.timeout(timeoutMs);
            if (previous) {
              await client.conversations.updateActivity(previous.conversationId, previous.activityId, { ...activity, id: previous.activityId }, { abortSignal });
              activityId = previous.activityId;
            } else {
              const sent = await client.conversations.sendToConversation(conversationId, activity, { abortSignal });
              activityId = sent.id ?? "";
            }
          } catch (err) {
            failure = { error: err };
          }
        });
      } catch (err) {
        return classify(err);
      }
      if (failure) return classify(failure.error);
      return { kind: "sent", deliveredTo: { channel: "teams", conversationId: reference.conversation.id, activityId } };
    },
  };
}

function classify(err: unknown): DeliveryResult {
  const status = (err as { statusCode?: number }).statusCode;
  const retryAfter = (err as { response?: { headers?: { get(name: string): string | undefined } } }).response?.headers?.get("retry-after");
  if (status === 403 || status === 404) {
    // The person removed the app or left: wait until they reach the bot again (install stores a new reference).
    return { kind: "unreachable" };
  }
  const seconds = retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const name = (err as { name?: string }).name;
  const error = name === "AbortError" || name === "TimeoutError" ? "teams_timeout" : `teams_${status ?? "network"}`;
  return { kind: "retry", error, ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}) };
}
