// Text for Block Kit: reading loose card JSON, escaping for mrkdwn, and fitting text into Slack's lengths.
type Json = Record<string, unknown>;

export const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => typeof x === "object" && x !== null) as Json[]) : []);

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Adaptive Card markdown (**bold**) to Slack mrkdwn (*bold*), escaped. */
export function mrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*(.+?)\*\*/g, "*$1*");
}

export const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

/** Splits long text into pieces no longer than max, at line breaks or spaces where it can. */
export function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut <= 0) cut = rest.lastIndexOf(" ", max);
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  out.push(rest);
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
