export { createClient } from "./client.js";
export type {
  AsSuperAdminOptions,
  AsUserOptions,
  BrowserClient,
  BrowserClientOptions,
  ServerClient,
  ServerClientOptions,
} from "./client.js";
export type {
  AllUserInvitesArgs,
  RequestOptions,
  ResendOptions,
  SendOptions,
  UpdateUserInviteArgs,
  UserInvitesApi,
} from "./api.js";
export { UserInvitesError, UserInvitesNetworkError } from "./errors.js";
export { hs256Signer, MIN_SECRET_BYTES } from "./signer.js";
export type { Signer, SignerCallback, TokenClaims } from "./signer.js";
export { toListQuery } from "./query.js";
export type {
  EqualToFilter,
  Refused,
  StatusFilter,
  UserInviteFilter,
  UserInviteOrder,
  UserInviteSearch,
  UserInviteSortField,
  UserInvitesArgs,
} from "./query.js";
export type { RetryOptions } from "./retry.js";
export type * from "./types.js";
export type { components, operations, paths } from "./generated/openapi.js";
