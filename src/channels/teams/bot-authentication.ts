// Bot Framework authentication for the CloudAdapter, with the connector client's own retries removed from proactive
// sends: the outbox relay owns those retries (with Retry-After and a stored schedule), and two loops would multiply.
// A reply within a turn keeps them: nothing else would retry it, and a welcome answered 429 would otherwise be lost.
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

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>) {
    return withoutRetries(super.createConnectorFactory(...args));
  }
}
