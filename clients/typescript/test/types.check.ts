// Compile-time tests: `tsc` fails if any line marked @ts-expect-error compiles, so each
// one proves that the types refuse it. Nothing here runs.
import type { ProblemCode, UserInvitesApi, UserInvitesError } from "../src/index.js";

export async function typeTests(api: UserInvitesApi, error: UserInvitesError): Promise<void> {
  // What maps, compiles.
  await api.userInvites({
    limit: 10,
    offset: 0,
    search: { value: "jo" },
    filter: { status: { valueIn: ["pending"] }, email: { equalTo: "a@b.co" }, tenantId: { equalTo: "t" } },
    order: { order: "ASC", sort: "EMAIL" },
  });

  // @ts-expect-error filter.email.like cannot be mapped: use search
  await api.userInvites({ filter: { email: { like: "%x%" } } });
  // @ts-expect-error filter.email.valueIn cannot be mapped: the API takes one email
  await api.userInvites({ filter: { email: { valueIn: ["a@b.co"] } } });
  // @ts-expect-error filter.status.notEqualTo cannot be mapped
  await api.userInvites({ filter: { status: { notEqualTo: "pending" } } });
  // @ts-expect-error filter.status takes equalTo or valueIn, not both
  await api.userInvites({ filter: { status: { equalTo: "pending", valueIn: ["expired"] } } });
  // @ts-expect-error not a status
  await api.userInvites({ filter: { status: { equalTo: "archived" } } });
  // @ts-expect-error filter.createdAt cannot be mapped: no range filters
  await api.userInvites({ filter: { createdAt: { moreThan: "2025-01-01" } } });
  // @ts-expect-error filter.firstName cannot be mapped: use search
  await api.userInvites({ filter: { firstName: { equalTo: "John" } } });
  // @ts-expect-error search.fields cannot be mapped: search covers email and names together
  await api.userInvites({ search: { value: "jo", fields: ["email"] } });
  // @ts-expect-error no sort by first name
  await api.userInvites({ order: { order: "ASC", sort: "FIRST_NAME" } });
  // @ts-expect-error allUserInvites pages itself: no cursor
  api.allUserInvites({ cursor: "abc" });
  // @ts-expect-error read-only fields cannot be updated
  await api.updateUserInvite({ id: "x", userInvite: { email: "new@b.co" } });
  // @ts-expect-error ROQ's resend takes the id, not an object
  await api.resendUserInvite({ id: "x" });

  // The error's code is the spec's union.
  const code: ProblemCode = error.code;
  // @ts-expect-error not a code of the spec
  const wrong: typeof error.code = "NOT_A_CODE";
  void code;
  void wrong;
}
