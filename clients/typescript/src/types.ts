// Names for the generated types (src/generated/openapi.ts, from ../../openapi.yaml).
// Nothing here is written by hand except the names: a change to the API description
// reaches these types through `npm run generate`.
import type { components, operations } from "./generated/openapi.js";

type Schemas = components["schemas"];

export type Invite = Schemas["Invite"];
export type InviteStatus = Schemas["InviteStatus"];
export type Invitee = Schemas["Invitee"];
export type SendUserInvitesRequest = Schemas["SendUserInvitesRequest"];
export type SendUserInvitesResponse = Schemas["SendUserInvitesResponse"];
export type SendError = Schemas["SendError"];
export type ResendUserInviteRequest = Schemas["ResendUserInviteRequest"];
export type AcceptUserInviteRequest = Schemas["AcceptUserInviteRequest"];
export type CheckUserInviteTokenResponse = Schemas["CheckUserInviteTokenResponse"];
export type UpdateUserInviteRequest = Schemas["UpdateUserInviteRequest"];
export type UserInvitesPage = Schemas["ListUserInvitesResponse"];
export type Problem = Schemas["Problem"];
export type FieldError = Schemas["FieldError"];
/** Every `code` a problem+json answer of the API can carry. */
export type ProblemCode = Schemas["ProblemCode"];
/** The query parameters of `GET /user-invites`, as the API names them. */
export type ListQuery = NonNullable<operations["userInvites"]["parameters"]["query"]>;
export type ListSort = NonNullable<ListQuery["sort"]>;
