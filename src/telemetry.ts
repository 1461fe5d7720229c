// Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set: incoming requests, outgoing calls (Teams,
// Slack) and exceptions. Without it the monitor package is never even loaded. Logs stay pino JSON on stderr.
// Start it before the server module is imported: its hooks patch only modules (http, express, botbuilder) loaded after.
// The Azure Tables client is ESM and loaded earlier by the CLI, so its calls are not seen (that needs node --import).
import type { Logger } from "./logger";
import { createUrlRedactor } from "./telemetry-redaction";

export interface Telemetry {
  enabled: boolean;
  /** Flushes what is buffered and stops exporting. */
  stop(): Promise<void>;
}

const DISABLED: Telemetry = { enabled: false, stop: async () => {} };

export async function startTelemetry(env: NodeJS.ProcessEnv, log: Logger): Promise<Telemetry> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return DISABLED;
  // Statsbeat reports the SDK's own use to Microsoft's endpoints, not to the council's resource: off unless the operator
  // says otherwise. The exporter reads only process.env, hence the write there.
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED ??= "true";
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
