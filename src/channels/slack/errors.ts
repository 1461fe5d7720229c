// The two ways a card can fail to become Block Kit: an element outside the subset, or a Slack limit it would break.
/** An element or action type outside the supported subset. */
export class UnsupportedElementError extends Error {
  constructor(
    readonly elementType: string,
    readonly template: string,
  ) {
    super(`Slack cannot show the ${template} card: element type "${elementType}" is not in the supported subset.`);
    this.name = "UnsupportedElementError";
  }
}

/** A card that would break one of Slack's limits. */
export class SlackLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackLimitError";
  }
}
