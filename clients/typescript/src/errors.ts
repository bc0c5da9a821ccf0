import type { FieldError, Problem, ProblemCode } from "./types.js";

/**
 * The API answered with an error (`application/problem+json`).
 *
 * `code` is the problem's stable code. An error answer that is not a problem (a
 * gateway's or a proxy's page, say) still gets the code its status means, so a
 * caller can branch on `code` alone; `problem` is then `undefined`.
 */
export class UserInvitesError extends Error {
  override readonly name = "UserInvitesError";
  readonly status: number;
  readonly code: ProblemCode;
  /** Every invalid field, by JSON path, query parameter or header name. */
  readonly errors: FieldError[];
  /** Seconds to wait before trying again (`Retry-After`), when the answer said. */
  readonly retryAfter: number | undefined;
  /** The problem as answered, when the body was one. */
  readonly problem: Problem | undefined;

  constructor(init: {
    status: number;
    code: ProblemCode;
    message: string;
    errors?: FieldError[];
    retryAfter?: number | undefined;
    problem?: Problem | undefined;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
    this.problem = init.problem;
  }

  /** Reads an error answer: its status, its body (already parsed, or text) and its headers. */
  static fromResponse(response: Response, body: unknown): UserInvitesError {
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    if (isProblem(body)) {
      const fields = body.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      return new UserInvitesError({
        status: response.status,
        code: body.code,
        message: `${body.code} (${response.status}): ${body.detail}${fields ? ` [${fields}]` : ""}`,
        errors: body.errors,
        retryAfter,
        problem: body,
      });
    }
    const code = codeForStatus(response.status);
    return new UserInvitesError({
      status: response.status,
      code,
      message: `${code} (${response.status}): the answer was not a problem+json document`,
      retryAfter,
    });
  }
}

/**
 * The request got no answer: the connection failed, was reset or timed out before a
 * response arrived. Whether the server acted on it is unknown; `sendUserInvites`
 * retries these with the same `Idempotency-Key`, so a retry never invites twice.
 */
export class UserInvitesNetworkError extends Error {
  override readonly name = "UserInvitesNetworkError";
  /** How many attempts were made before giving up. */
  readonly attempts: number;

  constructor(message: string, options: { cause: unknown; attempts?: number }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts ?? 1;
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === "string" && typeof b.status === "number" && Array.isArray(b.errors);
}

/** `Retry-After` in seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 400:
      return "VALIDATION_FAILED";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 429:
      return "RATE_LIMITED";
    case 502:
    case 503:
    case 504:
      return "UNAVAILABLE";
    default:
      return "INTERNAL";
  }
}
