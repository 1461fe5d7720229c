// A time-out for each try of an Azure SDK client's request (Azure Tables, the Bot Connector). Neither client has one of
// its own, so a server that takes a request and never answers would hold the caller for ever.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export function tryTimeoutPolicy(name: string, ms: number): PipelinePolicy {
  return {
    name,
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = ms;
      return next(request);
    },
  };
}
