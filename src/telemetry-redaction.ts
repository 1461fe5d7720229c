// Application Insights keeps every request's and dependency's URL. Table Storage URLs carry entity keys (people are
// keyed by email) and query filters, so a span's URL keeps its scheme, host and path only: keys and query cut off.
import type { AzureMonitorOpenTelemetryOptions } from "@azure/monitor-opentelemetry";

type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions["spanProcessors"]>[number];
type Span = Parameters<SpanProcessor["onStart"]>[0];

/** The attributes, old and current semantic conventions, that the exporter reads a URL or path from. */
const URL_ATTRIBUTES = ["url.full", "http.url", "http.target", "url.path", "url.query"] as const;

/**
 * `https://acct.table.core.windows.net/cafpeople(PartitionKey='p',RowKey='a%40b.gov.uk')` becomes
 * `https://acct.table.core.windows.net/cafpeople()`. Keys may contain `)` unescaped, so everything from the first `(`
 * goes, not just up to the next `)`.
 */
export function redactUrl(value: string): string {
  const cut = value.search(/[?#(]/);
  if (cut < 0) return value;
  return value.slice(0, cut) + (value[cut] === "(" ? "()" : "");
}

function redacted(attributes: Record<string, unknown>): [string, string][] {
  return URL_ATTRIBUTES.flatMap((key) => {
    const value = attributes[key];
    if (typeof value !== "string") return [];
    const clean = key === "url.query" ? "" : redactUrl(value);
    return clean === value ? [] : [[key, clean] as [string, string]];
  });
}

export function createUrlRedactor(): SpanProcessor {
  return {
    onStart(span: Span) {
      for (const [key, clean] of redacted(span.attributes)) span.setAttribute(key, clean);
    },
    // Attributes set after the start (some instrumentations add the URL late) are cleaned before the exporter reads them.
    onEnd(span) {
      const attributes = span.attributes as Record<string, unknown>;
      for (const [key, clean] of redacted(attributes)) attributes[key] = clean;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
