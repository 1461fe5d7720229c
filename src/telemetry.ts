// Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set: incoming requests, outgoing calls (Teams,
// Slack) and exceptions. Without it the monitor package is never even loaded. Logs stay pino JSON on stderr.
// Start it before the server module is imported: its hooks patch only modules (http, express, botbuilder) loaded after.
// Table Storage calls are dependencies too (see traceAzureSdk below), whenever the Tables client was loaded.
import { createRequire } from "node:module";
import type { Logger } from "./logger";
import { createUrlRedactor } from "./telemetry-redaction";

export interface Telemetry {
  enabled: boolean;
  /** Flushes what is buffered and stops exporting. */
  stop(): Promise<void>;
}

const DISABLED: Telemetry = { enabled: false, stop: async () => {} };

/**
 * The Tables client is ESM and the CLI loads it before telemetry starts, so no loader hook ever sees it. Its tracer
 * lives in state that @azure/core-tracing's ESM build shares with its CommonJS build, and the Azure SDK
 * instrumentation sets that tracer when the CommonJS build is required. Requiring it here, after the hooks, sets it
 * whatever loaded first; before this, Tables spans appeared only because botbuilder happened to require it later.
 */
function traceAzureSdk(): void {
  createRequire(import.meta.url)("@azure/core-tracing");
}

export async function startTelemetry(env: NodeJS.ProcessEnv, log: Logger): Promise<Telemetry> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return DISABLED;
  // Statsbeat reports the SDK's own use to Microsoft's endpoints, not to the council's resource, after asking the Azure
  // metadata address what machine this is: off unless the operator says otherwise. The exporter reads only
  // process.env, hence the writes there. Its essential statsbeat obeys only the legacy name; SDK stats are the same
  // figures sent to the council's own resource, and keep a stopped CLI process alive for 20 s.
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED ??= "true";
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT ??= "true";
  process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED ??= "true";
  const { useAzureMonitor, shutdownAzureMonitor } = await import("@azure/monitor-opentelemetry");
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Live metrics keeps a connection open to a Microsoft endpoint; nobody watches it for a monthly audit bot.
    enableLiveMetrics: false,
    // A few hundred requests a day: keep them all. The default rate limit drops the first requests after a start.
    tracesPerSecond: 0,
    samplingRatio: 1,
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      // Log records are not sent: pino writes JSON lines that App Service already collects, and their bodies stay local.
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
    spanProcessors: [createUrlRedactor()],
  });
  traceAzureSdk();
  log.info({ code: "telemetry_started" }, "sending requests, dependencies and exceptions to Application Insights");
  return {
    enabled: true,
    async stop() {
      // The last flush can fail (network, ingestion down); losing it must not turn a clean stop into a failed one.
      try {
        await shutdownAzureMonitor();
      } catch (err) {
        log.warn({ code: "telemetry_flush_failed", reason: err instanceof Error ? err.name : "unknown" }, "telemetry not flushed at stop");
      }
    },
  };
}
