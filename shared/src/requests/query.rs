//! The path parameter, the `Idempotency-Key` header and the list's query string.

use crate::domain::EmailStatus;
use const_format::formatcp;

use super::{ListParams, RequestError};
use crate::domain::{
    DEFAULT_PAGE_LIMIT, EffectiveStatus, EmailAddress, FieldError, InviteId, MAX_IDEMPOTENCY_KEY_CHARS, MAX_OFFSET,
    MAX_PAGE_LIMIT, MAX_SEARCH_CHARS, SortField, SortOrder, TenantId, UserId, search_needle,
};

const IDEMPOTENCY_KEY_MESSAGE: &str = formatcp!("must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} visible ASCII characters");
const LIMIT_MESSAGE: &str = formatcp!("must be a whole number from 1 to {MAX_PAGE_LIMIT}");
const OFFSET_MESSAGE: &str = formatcp!("must be a whole number from 0 to {MAX_OFFSET}");
const SEARCH_MESSAGE: &str = formatcp!("must be at most {MAX_SEARCH_CHARS} characters");

/// A path parameter naming an invite.
pub fn invite_id(raw: &str) -> Result<InviteId, RequestError> {
    InviteId::parse(raw).ok_or_else(|| RequestError::one("id", "must be a UUID"))
}

/// An `Idempotency-Key` header value: 1..=255 visible ASCII characters.
pub fn idempotency_key(raw: &[u8]) -> Result<String, RequestError> {
    let valid = !raw.is_empty() && raw.len() <= MAX_IDEMPOTENCY_KEY_CHARS && raw.iter().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(RequestError::one("Idempotency-Key", IDEMPOTENCY_KEY_MESSAGE));
    }
    Ok(String::from_utf8_lossy(raw).into_owned())
}

/// The distinct values of a comma list, in order, and whether any part was not one.
fn comma_list<T: PartialEq>(raw: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> (Vec<T>, bool) {
    let mut values = Vec::new();
    let mut unknown = false;
    for part in raw.into_iter().flat_map(|raw| raw.split(',')).map(str::trim) {
        match parse(part) {
            Some(value) if !values.contains(&value) => values.push(value),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (values, unknown)
}

/// Parses the list query string. Unknown or repeated parameters are errors, so a typo
/// never silently widens a query.
pub fn list_params(query: Option<&str>) -> Result<ListParams, RequestError> {
    const KNOWN: &[&str] = &[
        "limit",
        "offset",
        "cursor",
        "status",
        "emailStatus",
        "email",
        "createdByUserId",
        "acceptedByUserId",
        "search",
        "sort",
        "order",
        "tenantId",
    ];
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    for (key, _) in &pairs {
        if !KNOWN.contains(&key.as_str()) {
            errors.push(FieldError::new(key.clone(), "is not a known query parameter"));
        } else if seen.contains(key) {
            errors.push(FieldError::new(key.clone(), "must be given at most once"));
        } else {
            seen.push(key.clone());
        }
    }
    let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut check = |name: &str, ok: bool, message: &str| {
        if !ok {
            errors.push(FieldError::new(name, message));
        }
    };

    let limit = value("limit").map(|v| v.parse::<u32>().ok().filter(|l| (1..=MAX_PAGE_LIMIT).contains(l)));
    check("limit", limit.is_none_or(|l| l.is_some()), LIMIT_MESSAGE);
    let offset = value("offset").map(|v| v.parse::<u32>().ok().filter(|o| *o <= MAX_OFFSET));
    check("offset", offset.is_none_or(|o| o.is_some()), OFFSET_MESSAGE);
    let cursor = value("cursor").map(str::to_owned);
    check(
        "cursor",
        cursor.as_deref().is_none_or(|c| !c.is_empty()),
        "must not be empty",
    );
    check(
        "offset",
        offset.is_none() || cursor.is_none(),
        "cannot be combined with cursor",
    );

    let (statuses, unknown_status) = comma_list(value("status"), EffectiveStatus::parse);
    // One error for the parameter, however many parts are wrong.
    check(
        "status",
        !unknown_status,
        "must be a comma list of pending, accepted, canceled, expired",
    );
    let (mut email_statuses, unknown_email_status) = comma_list(value("emailStatus"), EmailStatus::parse);
    check(
        "emailStatus",
        !unknown_email_status,
        "must be a comma list of queued, sent, delivered, failed, bounced, complained, skipped",
    );
    // Every email status is no filter at all.
    if email_statuses.len() == EmailStatus::ALL.len() {
        email_statuses.clear();
    }
    let email = value("email").map(EmailAddress::parse);
    check(
        "email",
        email.as_ref().is_none_or(Result::is_ok),
        "must be a valid email address",
    );
    let created_by = value("createdByUserId").map(UserId::parse);
    check(
        "createdByUserId",
        created_by.is_none_or(|u| u.is_some()),
        "must be a UUID",
    );
    let accepted_by = value("acceptedByUserId").map(UserId::parse);
    check(
        "acceptedByUserId",
        accepted_by.is_none_or(|u| u.is_some()),
        "must be a UUID",
    );
    let tenant_id = value("tenantId").map(TenantId::parse);
    check("tenantId", tenant_id.is_none_or(|t| t.is_some()), "must be a UUID");
    // The limit applies to the value as given: trimming or case folding (which can
    // lengthen a string: "İ" becomes "i̇") must not move it.
    check(
        "search",
        value("search").is_none_or(|s| s.chars().count() <= MAX_SEARCH_CHARS),
        SEARCH_MESSAGE,
    );
    // Folded for case and accents; what cannot start a word is dropped from its front.
    let search = value("search").and_then(search_needle);
    let sort = value("sort").map(SortField::parse);
    check(
        "sort",
        sort.is_none_or(|s| s.is_some()),
        "must be one of createdAt, updatedAt, email, status",
    );
    let order = value("order").map(SortOrder::parse);
    check("order", order.is_none_or(|o| o.is_some()), "must be asc or desc");

    if !errors.is_empty() {
        return Err(RequestError::Invalid(errors));
    }
    Ok(ListParams {
        tenant_id: tenant_id.flatten(),
        statuses,
        email_statuses,
        email: email.and_then(Result::ok).map(|e| e.canonical().to_owned()),
        created_by: created_by.flatten(),
        accepted_by: accepted_by.flatten(),
        search,
        sort: sort.flatten().unwrap_or(SortField::CreatedAt),
        order: order.flatten().unwrap_or(SortOrder::Desc),
        limit: limit.flatten().unwrap_or(DEFAULT_PAGE_LIMIT),
        offset: offset.flatten(),
        cursor,
    })
}
