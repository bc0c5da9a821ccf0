// The words and numbers the components show, and how pasted addresses are read.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { count, emailStatusText, parseEmails, parseList, range } from "../src/format.js";

describe("format", () => {
  test("the paging line: exact totals with separators, floors with a plus", () => {
    assert.equal(range(0, 20, 1234, true), "1–20 of 1,234");
    assert.equal(range(1220, 14, 1234, true), "1,221–1,234 of 1,234");
    assert.equal(range(0, 20, 100, false), "1–20 of 100+");
    // Past the floor, "of" says at least as many as have been seen.
    assert.equal(range(100, 20, 100, false), "101–120 of 120+");
    assert.equal(range(0, 0, 0, true), "No invites");
    assert.equal(range(40, 0, 40, true), "Nothing past 40");
  });

  test("counts", () => {
    assert.equal(count(0), "0");
    assert.equal(count(1234567), "1,234,567");
    assert.equal(count(100, false), "100+");
  });

  test("pasted addresses: any separator, display names dropped, repeats once", () => {
    assert.deepEqual(
      parseEmails("Ann Admin <ann@example.com>, bob@example.com;\n\tcarl@example.com  BOB@example.com\nmailto:dee@example.com"),
      ["ann@example.com", "bob@example.com", "carl@example.com", "dee@example.com"],
    );
    assert.deepEqual(parseEmails("  \n , ; "), []);
    assert.deepEqual(parseEmails("not-an-email"), ["not-an-email"], "kept, for the API to refuse by name");
  });

  test("role lists", () => {
    assert.deepEqual(parseList(" admin, editor  viewer,"), ["admin", "editor", "viewer"]);
    assert.deepEqual(parseList(null), []);
  });

  test("every email status of the contract has words", () => {
    for (const status of ["queued", "sent", "delivered", "failed", "bounced", "complained", "skipped"]) {
      assert.notEqual(emailStatusText(status), status, status);
    }
  });
});
