// The retry policy of `sendUserInvites`. Every attempt carries the same
// `Idempotency-Key` and the same body bytes, so the server replays the first answer
// instead of inviting twice; that is what makes retrying a send safe at all.

export interface RetryOptions {
  /** Attempts in all, the first one included; default 4, at most 10. */
  maxAttempts?: number;
  /** The first backoff's ceiling, in milliseconds; default 200. */
  baseDelayMs?: number;
  /** No backoff is longer than this, in milliseconds; default 5,000. */
  maxDelayMs?: number;
  /**
   * Also retry a 429 (`RATE_LIMITED`), after its `Retry-After`. Off by default: a rate
   * limit is usually a caller's problem to see, not to sit out.
   */
  retryRateLimited?: boolean;
  /** A 429 asking to wait longer than this (seconds) is thrown, not waited out; default 60. */
  maxRetryAfterSeconds?: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryRateLimited: boolean;
  maxRetryAfterSeconds: number;
}

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) {
    return { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, retryRateLimited: false, maxRetryAfterSeconds: 0 };
  }
  const policy: RetryPolicy = {
    maxAttempts: options?.maxAttempts ?? 4,
    baseDelayMs: options?.baseDelayMs ?? 200,
    maxDelayMs: options?.maxDelayMs ?? 5_000,
    retryRateLimited: options?.retryRateLimited ?? false,
    maxRetryAfterSeconds: options?.maxRetryAfterSeconds ?? 60,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1 || policy.maxAttempts > 10) {
    throw new TypeError("retry.maxAttempts must be a whole number from 1 to 10");
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new TypeError("retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs");
  }
  return policy;
}

/**
 * "Full jitter" backoff before retry number `retry` (1 for the first retry): a random
 * delay up to `base * 2^(retry-1)`, capped. Spreading retries at random keeps many
 * clients that failed together from coming back together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
