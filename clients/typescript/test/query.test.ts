// ROQ's userInvites arguments onto the API's query: each mapping of the README's
// table, and a TypeError (at run time too) for what cannot be mapped.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { toListQuery } from "../src/index.js";

describe("toListQuery maps ROQ's arguments", () => {
  test("limit, offset and cursor pass through", () => {
    assert.deepEqual(toListQuery({ limit: 10, offset: 20 }), { limit: 10, offset: 20 });
    assert.deepEqual(toListQuery({ cursor: "abc" }), { cursor: "abc" });
    assert.deepEqual(toListQuery(), {});
  });

  test("search: { value } or the text itself becomes search=", () => {
    assert.deepEqual(toListQuery({ search: { value: "jo" } }), { search: "jo" });
    assert.deepEqual(toListQuery({ search: "jo" }), { search: "jo" });
  });

  test("filter: status equalTo/valueIn, and equalTo of email, createdByUserId, acceptedByUserId, tenantId", () => {
    assert.deepEqual(toListQuery({ filter: { status: { equalTo: "pending" } } }), { status: ["pending"] });
    assert.deepEqual(toListQuery({ filter: { status: { valueIn: ["pending", "expired"] } } }), { status: ["pending", "expired"] });
    assert.deepEqual(
      toListQuery({
        filter: {
          email: { equalTo: "a@b.co" },
          createdByUserId: { equalTo: "c" },
          acceptedByUserId: { equalTo: "d" },
          tenantId: { equalTo: "t" },
        },
      }),
      { email: "a@b.co", createdByUserId: "c", acceptedByUserId: "d", tenantId: "t" },
    );
  });

  test("order: { order, sort } becomes order= and sort=", () => {
    assert.deepEqual(toListQuery({ order: { order: "ASC", sort: "CREATED_AT" } }), { order: "asc", sort: "createdAt" });
    assert.deepEqual(toListQuery({ order: { order: "DESC", sort: "UPDATED_AT" } }), { order: "desc", sort: "updatedAt" });
    assert.deepEqual(toListQuery({ order: { sort: "EMAIL" } }), { sort: "email" });
    assert.deepEqual(toListQuery({ order: { sort: "STATUS" } }), { sort: "status" });
  });
});

describe("toListQuery refuses what the API cannot do", () => {
  const refused: Array<[string, unknown]> = [
    ["filter.email.like", { filter: { email: { like: "%x%" } } }],
    ["filter.email.valueIn", { filter: { email: { valueIn: ["a@b.co"] } } }],
    ["filter.status.notEqualTo", { filter: { status: { notEqualTo: "pending" } } }],
    ["filter.status with both", { filter: { status: { equalTo: "pending", valueIn: ["expired"] } } }],
    ["filter.status.valueIn empty", { filter: { status: { valueIn: [] } } }],
    ["filter.createdAt", { filter: { createdAt: { moreThan: "2025-01-01" } } }],
    ["filter.firstName", { filter: { firstName: { equalTo: "John" } } }],
    ["search.fields", { search: { value: "jo", fields: ["email"] } }],
    ["order.sort", { order: { sort: "FIRST_NAME" } }],
    ["order.order", { order: { order: "RANDOM" } }],
    ["an unknown argument", { where: { email: "x" } }],
  ];
  for (const [what, args] of refused) {
    test(what, () => {
      assert.throws(() => toListQuery(args as never), (e: unknown) => e instanceof TypeError && /cannot be mapped/.test(e.message));
    });
  }
});
