// What the Slack app registers with Slack: one request URL, one slash command, the events it listens to and the
// scopes of the Web API methods it calls. manifest/slack/manifest.yaml must say the same; a test holds them together.

/** Events, interactivity (buttons, modals) and the slash command all arrive here. */
export const SLACK_REQUEST_PATH = "/slack/events";

/** The slash command and its sub-commands. */
export const SLACK_COMMAND = "/audit";
export const SLACK_SUBCOMMANDS = ["my", "help", "away", "back", "unsafe"] as const;

/** Bot events: direct messages to the bot. */
export const SLACK_BOT_EVENTS = ["message.im"] as const;

/** Every Web API method the app calls, with the scope it needs. Only these scopes are requested. */
export const SLACK_METHOD_SCOPES = {
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "conversations.open": "im:write",
  "users.info": "users:read",
  "users.lookupByEmail": "users:read.email",
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
  "views.open": null,
  "views.update": null,
  "views.push": null,
} as const satisfies Record<string, string | null>;

/** Scopes that no method needs but a feature does: the slash command, reading emails, receiving DMs. */
const FEATURE_SCOPES = ["commands", "users:read.email", "im:history"] as const;

export const SLACK_BOT_SCOPES: readonly string[] = [
  ...new Set([...Object.values(SLACK_METHOD_SCOPES).filter((s): s is NonNullable<typeof s> => s !== null), ...FEATURE_SCOPES]),
].sort();
