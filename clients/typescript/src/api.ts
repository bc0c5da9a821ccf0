// ROQ's eight methods over the API's routes, for one caller (an identity in server
// mode, the token in browser mode).
import type { Client } from "openapi-fetch";

import { UserInvitesError, UserInvitesNetworkError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { toListQuery, type UserInvitesArgs } from "./query.js";
import { backoffDelay, retryPolicy, sleep, type RetryOptions } from "./retry.js";
import type {
  AcceptUserInviteRequest,
  CheckUserInviteTokenResponse,
  Invite,
  SendUserInvitesRequest,
  SendUserInvitesResponse,
  UpdateUserInviteRequest,
  UserInvitesPage,
} from "./types.js";

/** What every method takes last. */
export interface RequestOptions {
  /** Aborts the request (and, for a send, any retry still to come). */
  signal?: AbortSignal | undefined;
}

export interface SendOptions extends RequestOptions {
  /** The `Idempotency-Key` to send (1–255 visible ASCII); default: a fresh UUID per call. */
  idempotencyKey?: string;
  /** How to retry; `false` sends once. Default: the client's `retry` option. */
  retry?: RetryOptions | false;
}

export interface ResendOptions extends RequestOptions {
  /** `false`: no email; the invite carries `acceptUrl` once. */
  sendEmail?: boolean;
  /** 1..30 days; default the server's (7). */
  expiresInDays?: number;
}

/** ROQ's `updateUserInvite` argument: the id beside the body. */
export type UpdateUserInviteArgs = { id: string } & UpdateUserInviteRequest;

/** `allUserInvites` pages with `nextCursor` itself, so it takes no `offset` nor `cursor`. */
export type AllUserInvitesArgs = Omit<UserInvitesArgs, "offset" | "cursor">;

/** ROQ's User Invites methods. */
export interface UserInvitesApi {
  /** `POST /user-invites`, with an `Idempotency-Key`; retried safely (see `SendOptions.retry`). */
  sendUserInvites(args: SendUserInvitesRequest, options?: SendOptions): Promise<SendUserInvitesResponse>;
  /** `POST /user-invites/{id}/resend` */
  resendUserInvite(id: string, options?: ResendOptions): Promise<Invite>;
  /** `POST /user-invites/{id}/cancel` */
  cancelUserInvite(id: string, options?: RequestOptions): Promise<Invite>;
  /** `POST /user-invites/accept` */
  acceptUserInvite(args: AcceptUserInviteRequest, options?: RequestOptions): Promise<Invite>;
  /** `PATCH /user-invites/{id}` */
  updateUserInvite(args: UpdateUserInviteArgs, options?: RequestOptions): Promise<Invite>;
  /** `GET /user-invites`, ROQ's `search`, `filter` and `order` mapped onto its query. */
  userInvites(args?: UserInvitesArgs, options?: RequestOptions): Promise<UserInvitesPage>;
  /** Every invite of `GET /user-invites`, page after page, following `nextCursor`. */
  allUserInvites(args?: AllUserInvitesArgs, options?: RequestOptions): AsyncGenerator<Invite, void, undefined>;
  /** `GET /user-invites/{id}` */
  userInvite(args: { id: string }, options?: RequestOptions): Promise<Invite>;
  /** `POST /user-invites/check-token`, which needs no JWT. */
  checkUserInviteToken(token: string, options?: RequestOptions): Promise<CheckUserInviteTokenResponse>;
}

/**
 * The bearer token of one request. `tenantId` is the tenant the request acts in when the
 * call itself names one (a send's body); server mode may mint the token for it.
 */
export type Credentials = (request: { tenantId?: string | undefined; signal?: AbortSignal | undefined }) => Promise<string>;

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** Statuses that mean "the service did not answer": safe to retry with the same key. */
const UNANSWERED = new Set([502, 503, 504]);

export class Api implements UserInvitesApi {
  readonly #http: Client<paths>;
  readonly #credentials: Credentials;
  readonly #retry: RetryOptions | false | undefined;

  constructor(http: Client<paths>, credentials: Credentials, retry: RetryOptions | false | undefined) {
    this.#http = http;
    this.#credentials = credentials;
    this.#retry = retry;
  }

  async sendUserInvites(args: SendUserInvitesRequest, options: SendOptions = {}): Promise<SendUserInvitesResponse> {
    const { signal } = options;
    const policy = retryPolicy(options.retry ?? this.#retry);
    const key = options.idempotencyKey ?? randomUuid();
    // One serialization for every attempt: the server replays only a byte-identical body.
    const bytes = JSON.stringify(args);
    for (let attempt = 1; ; attempt++) {
      try {
        const authorization = await this.#bearer(tenantOf(args), signal);
        return await this.#call(signal, () =>
          this.#http.POST("/user-invites", {
            body: args,
            bodySerializer: () => bytes,
            params: { header: { "Idempotency-Key": key } },
            headers: { Authorization: authorization },
            signal: signal ?? null,
          }),
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const unanswered =
          error instanceof UserInvitesNetworkError ||
          (error instanceof UserInvitesError &&
            (UNANSWERED.has(error.status) || error.code === "IDEMPOTENCY_KEY_IN_PROGRESS"));
        const rateLimited =
          error instanceof UserInvitesError &&
          error.status === 429 &&
          policy.retryRateLimited &&
          (error.retryAfter ?? 0) <= policy.maxRetryAfterSeconds;
        if (attempt >= policy.maxAttempts || !(unanswered || rateLimited)) {
          if (error instanceof UserInvitesNetworkError && attempt > 1) {
            throw new UserInvitesNetworkError(`${error.message} (after ${attempt} attempts)`, {
              cause: error.cause,
              attempts: attempt,
            });
          }
          throw error;
        }
        const retryAfter = error instanceof UserInvitesError ? error.retryAfter : undefined;
        await sleep(rateLimited && retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(policy, attempt), signal);
      }
    }
  }

  async resendUserInvite(id: string, options: ResendOptions = {}): Promise<Invite> {
    const { signal, sendEmail, expiresInDays } = options;
    const body: { sendEmail?: boolean; expiresInDays?: number } = {};
    if (sendEmail !== undefined) body.sendEmail = sendEmail;
    if (expiresInDays !== undefined) body.expiresInDays = expiresInDays;
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.POST("/user-invites/{id}/resend", {
        params: { path: { id } },
        body,
        headers: { Authorization: authorization },
        signal: signal ?? null,
      }),
    );
  }

  async cancelUserInvite(id: string, options: RequestOptions = {}): Promise<Invite> {
    const { signal } = options;
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.POST("/user-invites/{id}/cancel", {
        params: { path: { id } },
        headers: { Authorization: authorization },
        signal: signal ?? null,
      }),
    );
  }

  async acceptUserInvite(args: AcceptUserInviteRequest, options: RequestOptions = {}): Promise<Invite> {
    const { signal } = options;
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.POST("/user-invites/accept", { body: args, headers: { Authorization: authorization }, signal: signal ?? null }),
    );
  }

  async updateUserInvite(args: UpdateUserInviteArgs, options: RequestOptions = {}): Promise<Invite> {
    const { signal } = options;
    const { id, ...body } = args;
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.PATCH("/user-invites/{id}", {
        params: { path: { id } },
        body,
        headers: { Authorization: authorization },
        signal: signal ?? null,
      }),
    );
  }

  async userInvites(args: UserInvitesArgs = {}, options: RequestOptions = {}): Promise<UserInvitesPage> {
    const { signal } = options;
    const query = toListQuery(args);
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.GET("/user-invites", { params: { query }, headers: { Authorization: authorization }, signal: signal ?? null }),
    );
  }

  async *allUserInvites(args: AllUserInvitesArgs = {}, options: RequestOptions = {}): AsyncGenerator<Invite, void, undefined> {
    const rest = args as UserInvitesArgs;
    if (rest.offset !== undefined || rest.cursor !== undefined) {
      throw new TypeError("allUserInvites follows nextCursor itself: it takes no offset nor cursor");
    }
    let cursor: string | undefined;
    do {
      const page = await this.userInvites(cursor === undefined ? args : { ...args, cursor }, options);
      for (const invite of page.data) {
        // An abort stops the iteration at once, not at the next page.
        options.signal?.throwIfAborted();
        yield invite;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async userInvite(args: { id: string }, options: RequestOptions = {}): Promise<Invite> {
    const { signal } = options;
    const authorization = await this.#bearer(undefined, signal);
    return this.#call(signal, () =>
      this.#http.GET("/user-invites/{id}", {
        params: { path: { id: args.id } },
        headers: { Authorization: authorization },
        signal: signal ?? null,
      }),
    );
  }

  async checkUserInviteToken(token: string, options: RequestOptions = {}): Promise<CheckUserInviteTokenResponse> {
    const { signal } = options;
    signal?.throwIfAborted();
    // The invite token is the credential: no JWT goes with it.
    return this.#call(signal, () => this.#http.POST("/user-invites/check-token", { body: { token }, signal: signal ?? null }));
  }

  async #bearer(tenantId: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    signal?.throwIfAborted();
    return `Bearer ${await this.#credentials({ tenantId, signal })}`;
  }

  /** One request: its answer, a `UserInvitesError`, a network error or the abort reason. */
  async #call<T>(signal: AbortSignal | undefined, request: () => Promise<Answer<T>>): Promise<T> {
    signal?.throwIfAborted();
    let answer: Answer<T>;
    try {
      answer = await request();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new UserInvitesNetworkError(`no usable answer from the User Invites API: ${reason}`, { cause: error });
    }
    if (!answer.response.ok) throw UserInvitesError.fromResponse(answer.response, answer.error);
    return answer.data as T;
  }
}

/**
 * The tenant a send acts in, for its token: the body's, when it is a UUID. Anything else
 * stays out of the token (which the API would refuse as a whole, 401) so that the API
 * can answer what is wrong with the body (400, naming the field).
 */
function tenantOf(args: SendUserInvitesRequest): string | undefined {
  const tenantId: unknown = args?.userInvites?.tenantId;
  return typeof tenantId === "string" && UUID.test(tenantId) ? tenantId : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A v4 UUID, also where `crypto.randomUUID` is missing (a browser page over http). */
export function randomUuid(): string {
  if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
