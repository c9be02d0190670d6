// account/* (0.169 behaviour, observed over stdio with CODEX_HOME set to a temp dir):
// - account/read: `requiresOpenaiAuth` is the active provider's flag; `account` is the stored login only
//   when that provider uses OpenAI auth (a custom provider answers null even when logged in), and
//   OPENAI_API_KEY in the environment does not count. `userId` and `workspaceRouting` are null.
// - account/login/start {type:"apiKey"}: stores the key, answers {type:"apiKey"}, then sends
//   account/login/completed {loginId:null, success:true, error:null} and account/updated
//   {authMode:"apikey", planType:null}. An empty key is accepted, as in 0.169.
// - account/logout: removes auth.json, answers {}, then account/updated {authMode:null, planType:null},
//   also when nobody was logged in.
// - account/login/cancel: with no login in flight, -32600 "invalid login id: <id>".
// The ChatGPT flows (browser, device code, external tokens) and Amazon Bedrock need OpenAI's or AWS's
// servers, which Gatehouse does not talk to: they are refused with a -32600 that says so. So no login is
// ever in flight, and cancel always answers the error above.
import type { GetAccountResponse, LoginAccountParams, LoginAccountResponse, PlanType } from "../../../protocol/v2/account.js";
import { PlanType as PlanTypeSchema } from "../../../protocol/v2/account.js";
import type { Logger } from "../../log.js";
import type { ModelProviderInfo } from "../config/providers.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { AuthStore, type StoredAuth } from "./authStore.js";

export interface AccountServiceOptions {
  home: string;
  /** The provider turns use now (config's model_provider). */
  activeProvider: () => ModelProviderInfo;
  /** Sends to every initialized connection: the login is the daemon's, not a connection's. */
  broadcast: (method: string, params: unknown) => void;
  log: Logger;
}

function planTypeOf(value: string | null): PlanType {
  const parsed = PlanTypeSchema.safeParse(value);
  return parsed.success ? parsed.data : "unknown";
}

export class AccountService {
  private readonly store: AuthStore;

  constructor(private readonly opts: AccountServiceOptions) {
    this.store = new AuthStore(opts.home);
  }

  async read(): Promise<GetAccountResponse> {
    const requiresOpenaiAuth = this.opts.activeProvider().requiresOpenaiAuth;
    const stored = requiresOpenaiAuth ? await this.store.read() : null;
    return { account: stored ? accountOf(stored) : null, userId: null, requiresOpenaiAuth, workspaceRouting: null };
  }

  async loginStart(params: LoginAccountParams): Promise<LoginAccountResponse> {
    if (params.type !== "apiKey") throw new InvalidInputError(unsupportedLogin(params.type));
    await this.store.saveApiKey(params.apiKey);
    this.opts.log.info("logged in with an API key");
    // The notifications follow the response, as in 0.169.
    setImmediate(() => {
      this.opts.broadcast("account/login/completed", { loginId: null, success: true, error: null, onboardingEntrypoint: null });
      this.opts.broadcast("account/updated", { authMode: "apikey", planType: null });
    });
    return { type: "apiKey" };
  }

  /**
   * 0.80's loginApiKey: the same stored login as account/login/start's, without its v2
   * notifications (0.80 answers loginApiKey with authStatusChange alone, which the caller sends).
   */
  async saveApiKey(apiKey: string): Promise<void> {
    await this.store.saveApiKey(apiKey);
    this.opts.log.info("logged in with an API key");
  }

  /**
   * 0.80's getAuthStatus [obs]: the login counts only when the active provider uses OpenAI auth (a
   * custom provider answers authMethod null even when logged in), an empty API key counts as no
   * login, and the token is the API key when asked for. A ChatGPT login written by the codex CLI
   * is reported without a token: Gatehouse neither uses nor refreshes ChatGPT tokens.
   */
  async authStatus(includeToken: boolean): Promise<{ authMethod: "apikey" | "chatgpt" | null; authToken: string | null; requiresOpenaiAuth: boolean }> {
    const requiresOpenaiAuth = this.opts.activeProvider().requiresOpenaiAuth;
    const stored = requiresOpenaiAuth ? await this.store.read() : null;
    if (stored?.mode === "apikey" && stored.apiKey !== "") {
      return { authMethod: "apikey", authToken: includeToken ? stored.apiKey : null, requiresOpenaiAuth };
    }
    return { authMethod: stored?.mode === "chatgpt" ? "chatgpt" : null, authToken: null, requiresOpenaiAuth };
  }

  loginCancel(loginId: string): never {
    throw new NotFoundError(`invalid login id: ${loginId}`);
  }

  async logout(): Promise<Record<string, never>> {
    if (await this.store.remove()) this.opts.log.info("logged out");
    setImmediate(() => this.opts.broadcast("account/updated", { authMode: null, planType: null }));
    return {};
  }

  /**
   * The bearer token for a provider that names no env_key or token of its own: the stored API key,
   * for the built-in openai provider and providers marked requires_openai_auth only, so a key never
   * goes to a custom base_url that did not ask for it.
   */
  async bearerFor(provider: ModelProviderInfo): Promise<string | null> {
    if (!provider.requiresOpenaiAuth) return null;
    const stored = await this.store.read();
    return stored?.mode === "apikey" ? stored.apiKey : null;
  }
}

function accountOf(stored: StoredAuth): GetAccountResponse["account"] {
  return stored.mode === "apikey" ? { type: "apiKey" } : { type: "chatgpt", email: stored.email, planType: planTypeOf(stored.planType) };
}

function unsupportedLogin(type: LoginAccountParams["type"]): string {
  switch (type) {
    case "chatgpt":
    case "chatgptDeviceCode":
    case "chatgptAuthTokens":
      return `ChatGPT login (${type}) is not supported by Gatehouse: it needs OpenAI's login servers. Log in with an API key ({"type":"apiKey"}) instead.`;
    case "apiKey":
    case "amazonBedrock":
    case "amazonBedrockAccessKeys":
      return `${type} login is not supported by Gatehouse. Log in with an OpenAI API key ({"type":"apiKey"}) instead.`;
  }
}
