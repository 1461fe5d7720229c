// Bot Framework authentication for the CloudAdapter, with the connector client's own retries removed from proactive
// sends: the outbox relay owns those retries (with Retry-After and a stored schedule), and two loops would multiply.
// A reply within a turn keeps them: nothing else would retry it, and a welcome answered 429 would otherwise be lost.
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { tryTimeoutPolicy } from "../../try-timeout";

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>;
type Pipeline = { removePolicy(p: { name: string }): unknown[]; addPolicy(p: PipelinePolicy, options?: { phase?: "Retry" }): void };

/**
 * Teams sometimes takes a request and never answers, and the connector client has no timeout of its own: a reply
 * within a turn would hold that turn for ever. Each try gets this long (Teams itself stops waiting at about 15 s).
 */
export const CONNECTOR_TRY_TIMEOUT_MS = 10_000;
const tryTimeout = tryTimeoutPolicy("cafConnectorTryTimeout", CONNECTOR_TRY_TIMEOUT_MS);

function tuned(factory: ConnectorFactory, retries: "keep" | "remove"): ConnectorFactory {
  return {
    async create(serviceUrl, audience) {
      const client = await factory.create(serviceUrl, audience);
      const pipeline = (client as unknown as { client: { pipeline: Pipeline } }).client.pipeline;
      pipeline.addPolicy(tryTimeout, { phase: "Retry" });
      // botbuilder exposes no option for this; the policy name is checked so an upgrade that renames it fails loudly.
      if (retries === "remove" && pipeline.removePolicy({ name: "defaultRetryPolicy" }).length !== 1) {
        throw new Error("botframework-connector no longer has a defaultRetryPolicy to remove; review bot-authentication.ts");
      }
      return client;
    },
  };
}

export class NoRetryBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    super(options);
  }

  override async authenticateRequest(...args: Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>) {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory ? { ...result, connectorFactory: tuned(result.connectorFactory, "keep") } : result;
  }

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>) {
    return tuned(super.createConnectorFactory(...args), "remove");
  }
}
