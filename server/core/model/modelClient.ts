// The one place a provider's `wire_api` picks the model client; both yield the same ModelEvents.
import type { ModelProviderInfo } from "../config/providers.js";
import { ChatClient } from "./chatClient.js";
import { ResponsesClient, type ResponsesClientOptions } from "./responsesClient.js";

export function createModelClient(provider: ModelProviderInfo, opts: ResponsesClientOptions): ResponsesClient | ChatClient {
  return provider.wireApi === "chat" ? new ChatClient(provider, opts) : new ResponsesClient(provider, opts);
}
