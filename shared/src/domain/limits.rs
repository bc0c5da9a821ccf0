//! Every limit the service enforces, in one place (documented in docs/limits.md).

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The largest send answer kept for an idempotent replay: under DynamoDB's 400 KB item,
/// with room for the record's other attributes. A send's answer is its invitees as
/// given (at most [`MAX_BODY_BYTES`]) plus about 700 bytes of server fields each, so a
/// body within the limit always fits (tests/api/idempotency.rs sends the largest).
/// Most invitees in one send.
pub const MAX_INVITEES_PER_REQUEST: usize = 100;
pub const MAX_REPLAY_BYTES: usize = 380_000;
/// RFC 5321's limit on a forward path.
pub const MAX_EMAIL_LEN: usize = 254;
/// Characters in `firstName` or `lastName`.
pub const MAX_NAME_CHARS: usize = 100;
/// Roles on one invite.
pub const MAX_ROLES: usize = 20;
/// Characters in one role key.
pub const MAX_ROLE_KEY_CHARS: usize = 64;
/// Serialized size of `data`, in bytes.
pub const MAX_DATA_BYTES: usize = 8 * 1024;
/// Nesting of `data`: the object itself is depth 1.
pub const MAX_DATA_DEPTH: usize = 5;
/// `expiresInDays` bounds.
pub const MIN_EXPIRY_DAYS: u32 = 1;
pub const MAX_EXPIRY_DAYS: u32 = 30;
/// `limit` bounds and default on list.
pub const MAX_PAGE_LIMIT: u32 = 100;
pub const DEFAULT_PAGE_LIMIT: u32 = 20;
/// Largest `offset` on list; past it, use the cursor. A list reads the skipped invites,
/// so this bounds what an offset can cost.
pub const MAX_OFFSET: u32 = 1_000;
/// What one list request may read beyond `offset + 2 * limit` items: counters, a capped
/// count, the first batch of every merged shard.
pub const LIST_READ_ALLOWANCE: u32 = 150;
/// Up to this many matches, a list's `totalCount` is exact whatever its filters; past
/// it, lists that no counter covers answer this number with `totalCountExact: false`.
pub const EXACT_COUNT_CAP: u64 = 100;
/// Characters of a word that search indexes; a longer needle is looked up by its first
/// ones and checked against each candidate.
pub const SEARCH_PREFIX_CHARS: usize = 4;
/// Distinct search prefixes indexed per invite (names first, the email's domain last),
/// which keeps every write of an invite within one DynamoDB transaction.
pub const SEARCH_PREFIXES_PER_INVITE: usize = 20;
/// Characters in `search`.
pub const MAX_SEARCH_CHARS: usize = 100;
/// Characters in an `Idempotency-Key`.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;
/// Characters in an invite token as submitted; longer is not a token we issued.
pub const MAX_TOKEN_CHARS: usize = 512;
/// How long an idempotent send's response is replayed, in hours.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;
/// Field errors one problem lists; more are counted in `errorsOmitted`.
pub const MAX_LISTED_ERRORS: usize = 100;
/// Characters of a field name or message quoted back in an error (a field name may be
/// any key the caller sent).
pub const MAX_ERROR_TEXT_CHARS: usize = 200;
/// Largest error response body, in bytes.
pub const MAX_PROBLEM_BYTES: usize = 64 * 1024;
/// Field errors described in one refused invitee's `message` in a send's `errors`.
pub const MAX_INVITEE_ERRORS_DESCRIBED: usize = 5;
