// The project's own coded errors. Adapters translate SDK faults into these once, at the edge;
// the person sees `message`, the log sees `code` and the cause.
export type StorageErrorCode =
  | "storage_unreachable"
  | "storage_conflict"
  | "storage_precondition_failed"
  | "storage_not_found"
  | "storage_failed";

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Every code a reply or a log line carries, in one place (as bolt-js's ErrorCode): stable, so the QA team's searches
 * and the council's alerts in Log Analytics can rely on them, and a typo fails the typecheck instead of an alert.
 */
export type ErrorCode =
  | StorageErrorCode
  // A button or words the core cannot act on.
  | "action_invalid"
  | "card_out_of_date"
  | "inbound_unsupported"
  | "text_not_understood"
  | "text_too_long"
  // Who may do what.
  | "not_an_auditor"
  | "not_your_audit"
  | "not_qa"
  | "user_unknown"
  // Working on an audit, involvement, overdue decisions, away.
  | "section_invalid"
  | "section_already_saved"
  | "final_invalid"
  | "audit_incomplete"
  | "audit_conflict"
  | "audit_not_found"
  | "audit_not_submitted"
  | "audit_submitted"
  | "audit_already_submitted"
  | "audit_unallocated"
  | "audit_withdrawn"
  | "correction_reason_missing"
  | "reason_missing"
  | "decision_not_needed"
  | "due_date_invalid"
  | "overdue_not_allowed"
  | "returned_to_qa"
  | "away_date_invalid"
  // Moderation.
  | "agreed_grade_missing"
  | "agree_reason_missing"
  | "moderation_already_settled"
  | "moderation_conflict"
  | "moderation_no_decision_needed"
  | "moderation_not_found"
  // Unsafe practice and its ladder.
  | "raise_invalid"
  | "raise_not_allowed"
  | "raise_duplicate"
  | "already_acknowledged"
  | "already_resolved"
  | "escalation_conflict"
  | "not_an_escalation_recipient"
  | "outcome_missing"
  // Feedback.
  | "feedback_conflict"
  | "feedback_invalid"
  | "feedback_newer_version"
  | "feedback_not_released"
  | "feedback_not_yours"
  | "feedback_role_refused"
  | "feedback_unchanged"
  // The QA stages around the audit.
  | "recheck_already_answered"
  | "recheck_conflict"
  | "recheck_invalid"
  | "recheck_not_yours"
  | "self_assessment_after_audit"
  | "self_assessment_already_sent"
  | "self_assessment_conflict"
  | "self_assessment_invalid"
  | "self_assessment_not_yours"
  | "stale_already_answered"
  | "stale_conflict"
  | "stale_invalid"
  | "stale_not_yours"
  | "supervision_already_done"
  | "supervision_conflict"
  | "supervision_invalid"
  | "supervision_not_a_manager"
  | "supervision_not_yours"
  | "tier1_already_answered"
  | "tier1_conflict"
  | "tier1_invalid"
  | "tier1_not_yours"
  // First contact and the Champions channel.
  | "already_linked"
  | "group_channel_refused"
  // Importing files, and the month a command names.
  | "csv_not_csv"
  | "csv_malformed"
  | "csv_duplicate_columns"
  | "csv_missing_columns"
  | "import_mass_closure"
  | "month_invalid"
  | "import_rows_rejected"
  | "row_duplicate"
  | "row_invalid"
  // Our side failed, or was set up wrong.
  | "internal_error"
  | "config_invalid"
  | "toolkit_invalid"
  | "storage_key_invalid"
  | "storage_value_too_long"
  | "slack_api_failed"
  | "slack_card_unknown"
  | "not_ready"
  | "http_bad_request"
  | "http_internal_error";

/** What a log line is about: one of the codes above, or something the process did that is worth a line. */
export type LogCode =
  | ErrorCode
  | "ok"
  | "allocation_allocated"
  | "allocation_planned"
  | "allocation_already_allocated"
  | "demo_loaded"
  | "demo_allocated"
  | "playground_exited"
  | "slack_on"
  | "slack_off"
  | "slack_bolt_error"
  | "slack_bolt_warn"
  | "slack_bolt_debug"
  | "teams_user_linked"
  | "bot_started"
  | "bot_stopping"
  | "bot_stopped"
  | "bot_stop_failed"
  | "bot_stop_forced"
  | "http_request"
  | "shutdown_drained"
  | "shutdown_drain_timeout"
  | "telemetry_started"
  | "telemetry_flush_failed"
  | "storage_local"
  | "job_started"
  | "job_done"
  | "job_failed"
  | "trail_caught_up"
  | "report_written"
  | "outbox_claim_lost"
  | "outbox_delivery_failed"
  | "outbox_mark_landed_failed"
  | "outbox_mark_sent_failed"
  | "outbox_pass_failed"
  | "outbox_recipient_unknown"
  | "outbox_recipient_unreachable"
  | "outbox_resend_as_update"
  | "outbox_resend_unknown_outcome"
  | "outbox_resume_unsent"
  | "slack_card_not_kept"
  | "slack_chart_failed"
  | "slack_event_retry_ignored"
  | "slack_listener_error"
  | "slack_request_unreadable"
  | "slack_submit_slow"
  | "slack_user_missing"
  | "slack_user_linked"
  | "teams_activity_malformed"
  | "teams_auth_off"
  | "teams_group_channel_linked"
  | "teams_group_channel_refused"
  | "teams_reply_failed"
  | "teams_turn_error"
  | "teams_unauthenticated";

/** An expected business outcome: a stable code and a sentence for the person. */
export interface Problem {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, problem: { code, message } });
