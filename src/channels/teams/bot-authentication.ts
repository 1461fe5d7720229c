// Bot Framework authentication for the CloudAdapter, with the connector client's own retries removed:
// the outbox relay owns retries (with Retry-After and a stored schedule), and two retry loops would multiply.
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>;

function withoutRetries(factory: ConnectorFactory): ConnectorFactory {
  return {
    async create(serviceUrl, audience) {
      const client = await factory.create(serviceUrl, audience);
      // botbuilder exposes no option for this; the policy name is checked so an upgrade that renames it fails loudly.
      const pipeline = (client as unknown as { client: { pipeline: { removePolicy(p: { name: string }): unknown[] } } }).client.pipeline;
      if (pipeline.removePolicy({ name: "defaultRetryPolicy" }).length !== 1) {
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
    return result.connectorFactory ? { ...result, connectorFactory: withoutRetries(result.connectorFactory) } : result;
  }

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>) {
    return withoutRetries(super.createConnectorFactory(...args));
  }
}
