// account: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { NoParams, request, type RequestTable } from "../define.js";

export const PlanType = z
  .enum([
    "free",
    "go",
    "plus",
    "pro",
    "prolite",
    "promax",
    "team",
    "self_serve_business_prolite",
    "self_serve_business_usage_based",
    "business",
    "ent26",
    "enterprise_cbp_automation",
    "enterprise_cbp_usage_based",
    "enterprise",
    "edu",
    "edu_plus",
    "edu_pro",
    "sci",
    "sci_plus",
    "unknown",
  ])
  .register(z.globalRegistry, { id: "PlanType" });
export type PlanType = z.infer<typeof PlanType>;

export const Account = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("apiKey"),
    }),
    z.object({
      email: z.string().nullable(),
      planType: PlanType,
      type: z.literal("chatgpt"),
      /** Display name of the selected ChatGPT workspace, when available. */
      workspaceName: z.string().nullish(),
    }),
    z.object({
      type: z.literal("amazonBedrock"),
      usesCodexManagedCredentials: z.boolean().optional(),
    }),
    z.object({
      type: z.literal("gcp"),
    }),
  ])
  .register(z.globalRegistry, { id: "Account" });
export type Account = z.infer<typeof Account>;

export const DesktopOnboardingEntrypoint = z.literal("life_sciences").register(z.globalRegistry, { id: "DesktopOnboardingEntrypoint" });
export type DesktopOnboardingEntrypoint = z.infer<typeof DesktopOnboardingEntrypoint>;

export const AccountLoginCompletedNotification = z
  .object({
    error: z.string().nullish(),
    loginId: z.string().nullish(),
    onboardingEntrypoint: DesktopOnboardingEntrypoint.nullish(),
    success: z.boolean(),
  })
  .register(z.globalRegistry, { id: "AccountLoginCompletedNotification" });
export type AccountLoginCompletedNotification = z.infer<typeof AccountLoginCompletedNotification>;

/** Backend routing policy. Wire values match the accounts/check contract. */
export const AccountRoutingOverride = z.enum(["NO_CONSTRAINT", "us", "us_cr"]).register(z.globalRegistry, { id: "AccountRoutingOverride" });
export type AccountRoutingOverride = z.infer<typeof AccountRoutingOverride>;

/** Authentication mode for OpenAI-backed providers. */
export const AuthMode = z
  .union([
    z.literal("apikey"),
    z.literal("chatgpt"),
    z.literal("chatgptAuthTokens"),
    z.literal("headers"),
    z.literal("agentIdentity"),
    z.literal("personalAccessToken"),
    z.literal("bedrockApiKey"),
    z.literal("bedrockAccessKeys"),
  ])
  .register(z.globalRegistry, { id: "AuthMode" });
export type AuthMode = z.infer<typeof AuthMode>;

export const AccountUpdatedNotification = z
  .object({
    authMode: AuthMode.nullish(),
    planType: PlanType.nullish(),
  })
  .register(z.globalRegistry, { id: "AccountUpdatedNotification" });
export type AccountUpdatedNotification = z.infer<typeof AccountUpdatedNotification>;

export const CancelLoginAccountParams = z
  .object({
    loginId: z.string(),
  })
  .register(z.globalRegistry, { id: "CancelLoginAccountParams" });
export type CancelLoginAccountParams = z.infer<typeof CancelLoginAccountParams>;

export const CancelLoginAccountStatus = z.enum(["canceled", "notFound"]).register(z.globalRegistry, { id: "CancelLoginAccountStatus" });
export type CancelLoginAccountStatus = z.infer<typeof CancelLoginAccountStatus>;

export const CancelLoginAccountResponse = z
  .object({
    status: CancelLoginAccountStatus,
  })
  .register(z.globalRegistry, { id: "CancelLoginAccountResponse" });
export type CancelLoginAccountResponse = z.infer<typeof CancelLoginAccountResponse>;

export const GetAccountParams = z
  .object({
    /** When `true`, requests a proactive token refresh before returning.
     *
     * In managed auth mode this triggers the normal refresh-token flow. In external auth mode this flag is ignored. Clients should refresh tokens themselves and call `account/login/start` with `chatgptAuthTokens`. */
    refreshToken: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "GetAccountParams" });
export type GetAccountParams = z.infer<typeof GetAccountParams>;

export const WorkspaceRouting = z
  .object({
    accountRoutingOverride: AccountRoutingOverride,
    backendOrigin: z.string(),
    chatgptAccountId: z.string(),
  })
  .register(z.globalRegistry, { id: "WorkspaceRouting" });
export type WorkspaceRouting = z.infer<typeof WorkspaceRouting>;

export const GetAccountResponse = z
  .object({
    account: Account.nullish(),
    requiresOpenaiAuth: z.boolean(),
    /** ChatGPT user ID belonging to this account response, when available. */
    userId: z.string().nullish(),
    workspaceRouting: WorkspaceRouting.nullish().meta({ experimental: true }),
  })
  .register(z.globalRegistry, { id: "GetAccountResponse" });
export type GetAccountResponse = z.infer<typeof GetAccountResponse>;

export const LoginAppBrand = z.enum(["codex", "chatgpt"]).register(z.globalRegistry, { id: "LoginAppBrand" });
export type LoginAppBrand = z.infer<typeof LoginAppBrand>;

export const LoginAccountParams = z
  .discriminatedUnion("type", [
    z.object({
      apiKey: z.string(),
      type: z.literal("apiKey"),
    }),
    z.object({
      appBrand: LoginAppBrand.nullish(),
      codexStreamlinedLogin: z.boolean().optional(),
      type: z.literal("chatgpt"),
      useHostedLoginSuccessPage: z.boolean().optional(),
    }),
    z.object({
      type: z.literal("chatgptDeviceCode"),
    }),
    z.object({
      /** Access token (JWT) supplied by the client. This token is used for backend API requests and email extraction. */
      accessToken: z.string(),
      /** Workspace/account identifier supplied by the client. */
      chatgptAccountId: z.string(),
      /** Optional plan type supplied by the client.
       *
       * When `null`, Codex attempts to derive the plan type from access-token claims. If unavailable, the plan defaults to `unknown`. */
      chatgptPlanType: z.string().nullish(),
      type: z.literal("chatgptAuthTokens"),
    }),
    z.object({
      apiKey: z.string(),
      region: z.string(),
      type: z.literal("amazonBedrock"),
    }),
    z.object({
      accessKeyId: z.string(),
      region: z.string(),
      secretAccessKey: z.string(),
      sessionToken: z.string().nullish(),
      type: z.literal("amazonBedrockAccessKeys"),
    }),
  ])
  .register(z.globalRegistry, { id: "LoginAccountParams" });
export type LoginAccountParams = z.infer<typeof LoginAccountParams>;

export const LoginAccountResponse = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("apiKey"),
    }),
    z.object({
      /** URL the client should open in a browser to initiate the OAuth flow. */
      authUrl: z.string(),
      loginId: z.string(),
      type: z.literal("chatgpt"),
    }),
    z.object({
      loginId: z.string(),
      type: z.literal("chatgptDeviceCode"),
      /** One-time code the user must enter after signing in. */
      userCode: z.string(),
      /** URL the client should open in a browser to complete device code authorization. */
      verificationUrl: z.string(),
    }),
    z.object({
      type: z.literal("chatgptAuthTokens"),
    }),
    z.object({
      type: z.literal("amazonBedrock"),
    }),
  ])
  .register(z.globalRegistry, { id: "LoginAccountResponse" });
export type LoginAccountResponse = z.infer<typeof LoginAccountResponse>;

export const LogoutAccountResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "LogoutAccountResponse" });
export type LogoutAccountResponse = z.infer<typeof LogoutAccountResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const accountRequests = {
  "account/login/start": request(LoginAccountParams, LoginAccountResponse),
  "account/login/cancel": request(CancelLoginAccountParams, CancelLoginAccountResponse),
  "account/logout": request(NoParams, LogoutAccountResponse),
  "account/read": request(GetAccountParams, GetAccountResponse),
} as const satisfies RequestTable;
