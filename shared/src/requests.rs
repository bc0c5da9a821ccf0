//! The edge: request bodies and query strings become validated inputs here, and every
//! invalid field is reported at once, by its JSON path.
//!
//! On send, a fault in the request's *shape* (malformed JSON, a wrong type, a missing
//! or unknown or read-only field) fails the whole request with 400, since it is a
//! client bug; a bad *value* of one invitee (an invalid email, a too-long name) fails
//! only that invitee, reported in the response's `errors`, since one bad invitee never
//! fails the others.

use serde_json::{Map, Value};

use crate::domain::{
    CustomData, DEFAULT_PAGE_LIMIT, EffectiveStatus, EmailAddress, FieldError, InviteId, Locale, MAX_EXPIRY_DAYS,
    MAX_IDEMPOTENCY_KEY_CHARS, MAX_INVITEES_PER_REQUEST, MAX_OFFSET, MAX_PAGE_LIMIT, MAX_SEARCH_CHARS, MAX_TOKEN_CHARS,
    MIN_EXPIRY_DAYS, PersonName, RoleKey, Roles, TenantId, UserId, fold_case,
};
use crate::store::{SortField, SortOrder};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RequestError {
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    TooLarge(String),
}

impl RequestError {
    fn one(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

/// The fields every invite carries that no request may set.
const READ_ONLY_INVITE_FIELDS: &[&str] = &[
    "id",
    "tenantId",
    "status",
    "emailStatus",
    "acceptedByUserId",
    "createdAt",
    "updatedAt",
    "statusUpdatedAt",
    "expiresAt",
    "lastSentAt",
    "sendCount",
    "token",
    "tokenHash",
    "acceptUrl",
];

/// One invitee of a send, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvitee {
    pub email: EmailAddress,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub locale: Locale,
    pub roles: Roles,
    pub data: CustomData,
    pub created_by: Option<UserId>,
}

/// An invitee whose values did not validate: reported in the send's `errors`.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedInvitee {
    /// The email as sent, when it was a string.
    pub email: Option<String>,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SendRequest {
    pub tenant_id: TenantId,
    pub invitees: Vec<Result<NewInvitee, RejectedInvitee>>,
    pub send_email: bool,
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResendRequest {
    pub send_email: bool,
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AcceptRequest {
    pub token: String,
    pub accepted_by: Option<UserId>,
}

/// A partial update: `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateRequest {
    pub first_name: Option<Option<PersonName>>,
    pub last_name: Option<Option<PersonName>>,
    pub locale: Option<Locale>,
    pub data: Option<CustomData>,
    pub roles: Option<Roles>,
    pub accepted_by: Option<Option<UserId>>,
}

impl UpdateRequest {
    /// Whether it touches the invitee's profile (allowed only while pending).
    pub fn changes_profile(&self) -> bool {
        self.first_name.is_some()
            || self.last_name.is_some()
            || self.locale.is_some()
            || self.data.is_some()
            || self.roles.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListParams {
    pub tenant_id: Option<TenantId>,
    pub statuses: Vec<EffectiveStatus>,
    pub email: Option<String>,
    pub created_by: Option<UserId>,
    pub accepted_by: Option<UserId>,
    pub search: Option<String>,
    pub sort: SortField,
    pub order: SortOrder,
    pub limit: u32,
    pub offset: Option<u32>,
    pub cursor: Option<String>,
}

/// Collects field errors while walking a JSON document.
#[derive(Default)]
struct Reader {
    structural: Vec<FieldError>,
    values: Vec<FieldError>,
}

fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Reader {
    fn shape(&mut self, field: String, message: &str) {
        self.structural.push(FieldError::new(field, message));
    }

    fn object<'v>(&mut self, value: &'v Value, field: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            _ => {
                self.shape(field.to_owned(), "must be a JSON object");
                None
            }
        }
    }

    /// Flags every key that is not in `allowed`, naming read-only ones as such.
    fn known_keys(&mut self, map: &Map<String, Value>, parent: &str, allowed: &[&str], read_only: &[&str]) {
        for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let message = if read_only.contains(&key.as_str()) {
                "is read-only"
            } else {
                "is not a known field"
            };
            self.shape(path(parent, key), message);
        }
    }

    /// A present, non-null field.
    fn field<'v>(&mut self, map: &'v Map<String, Value>, parent: &str, key: &str, required: bool) -> Option<&'v Value> {
        match map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.shape(path(parent, key), "is required");
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    fn string<'v>(&mut self, map: &'v Map<String, Value>, parent: &str, key: &str, required: bool) -> Option<&'v str> {
        let value = self.field(map, parent, key, required)?;
        let text = value.as_str();
        if text.is_none() {
            self.shape(path(parent, key), "must be a string");
        }
        text
    }

    fn boolean(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<bool> {
        let value = self.field(map, parent, key, false)?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.shape(path(parent, key), "must be true or false");
        }
        flag
    }

    fn expiry_days(&mut self, map: &Map<String, Value>, parent: &str) -> Option<u32> {
        let value = self.field(map, parent, "expiresInDays", false)?;
        let days =
            whole_number(value).filter(|d| (u64::from(MIN_EXPIRY_DAYS)..=u64::from(MAX_EXPIRY_DAYS)).contains(d));
        if days.is_none() {
            self.shape(
                path(parent, "expiresInDays"),
                "must be a whole number of days from 1 to 30",
            );
        }
        days.map(|d| d as u32)
    }

    /// Parses a string field's value; a bad value is a value error, a non-string a shape error.
    fn parsed<T>(
        &mut self,
        map: &Map<String, Value>,
        parent: &str,
        key: &str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let raw = self.string(map, parent, key, required)?;
        match parse(raw) {
            Ok(value) => Some(value),
            Err(message) => {
                self.values.push(FieldError::new(path(parent, key), message));
                None
            }
        }
    }

    fn uuid<T>(
        &mut self,
        map: &Map<String, Value>,
        parent: &str,
        key: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.parsed(map, parent, key, false, |raw| parse(raw).ok_or("must be a UUID"))
    }

    fn name(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<Option<PersonName>> {
        match map.get(key) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(_) => self.parsed(map, parent, key, false, PersonName::parse),
        }
    }

    fn roles(&mut self, map: &Map<String, Value>, parent: &str) -> Option<Roles> {
        let value = self.field(map, parent, "roles", false)?;
        let field = path(parent, "roles");
        let Some(items) = value.as_array() else {
            self.shape(field, "must be an array of role keys");
            return None;
        };
        let mut keys = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                None => self.shape(format!("{field}[{i}]"), "must be a string"),
                Some(raw) => match RoleKey::parse(raw) {
                    Ok(key) => keys.push(key),
                    Err(message) => self.values.push(FieldError::new(format!("{field}[{i}]"), message)),
                },
            }
        }
        if keys.len() != items.len() {
            return None;
        }
        Roles::new(keys)
            .map_err(|message| self.values.push(FieldError::new(field, message)))
            .ok()
    }

    fn data(&mut self, map: &Map<String, Value>, parent: &str) -> Option<CustomData> {
        let value = self.field(map, parent, "data", false)?;
        if !value.is_object() {
            self.shape(path(parent, "data"), "must be a JSON object");
            return None;
        }
        CustomData::parse(value)
            .map_err(|message| self.values.push(FieldError::new(path(parent, "data"), message)))
            .ok()
    }

    fn finish<T>(self, value: T) -> Result<T, RequestError> {
        let mut errors = self.structural;
        errors.extend(self.values);
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(RequestError::Invalid(errors))
        }
    }
}

/// A JSON number that is a whole number, written `7` or `7.0` alike: JSON (and JSON
/// Schema's `integer`) does not tell them apart, so neither may we.
fn whole_number(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(f))
            .map(|f| f as u64)
    })
}

/// Parses a body as JSON. An absent (zero-length) body reads as `{}` where
/// `empty_is_object`; any other body must be one JSON document, so whitespace alone
/// (`"\r"`, `" "`) is malformed JSON, not "no body".
pub fn parse_json(body: &[u8], empty_is_object: bool) -> Result<Value, RequestError> {
    if body.is_empty() {
        return if empty_is_object {
            Ok(Value::Object(Map::new()))
        } else {
            Err(RequestError::one("", "a JSON body is required"))
        };
    }
    serde_json::from_slice(body)
        .map(|Unambiguous(value)| value)
        .map_err(|e| RequestError::one("", format!("the body is not valid JSON: {e}")))
}

/// A JSON value read with one rule more than `serde_json::Value`: an object may not name
/// the same key twice. `Value` keeps the last one silently, so `{"roles": ["admin"],
/// "roles": []}` would mean whatever the last parser in the chain decides; it is
/// refused instead (RFC 8259 leaves duplicates to the implementation). serde_json's
/// nesting limit still applies: it is the deserializer's, not the value's.
struct Unambiguous(Value);

impl<'de> serde::Deserialize<'de> for Unambiguous {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UnambiguousVisitor).map(Unambiguous)
    }
}

struct UnambiguousVisitor;

impl<'de> serde::de::Visitor<'de> for UnambiguousVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json hands out finite floats only, which `From<f64>` keeps as numbers.
        Ok(v.into())
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Unambiguous(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!("the key {key:?} appears twice")));
            }
            let Unambiguous(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

pub fn send_request(body: &Value) -> Result<SendRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["userInvites", "sendEmail", "expiresInDays"], &[]);
    let send_email = r.boolean(top, "", "sendEmail").unwrap_or(true);
    let expires_in_days = r.expiry_days(top, "");
    let envelope = r
        .field(top, "", "userInvites", true)
        .and_then(|v| r.object(v, "userInvites"));
    let mut tenant_id = None;
    let mut invitees = Vec::new();
    if let Some(envelope) = envelope {
        r.known_keys(envelope, "userInvites", &["tenantId", "userInvites"], &[]);
        tenant_id = r.parsed(envelope, "userInvites", "tenantId", true, |raw| {
            TenantId::parse(raw).ok_or("must be a UUID")
        });
        match r.field(envelope, "userInvites", "userInvites", true) {
            Some(Value::Array(items)) if items.len() > MAX_INVITEES_PER_REQUEST => {
                return Err(RequestError::TooLarge(format!(
                    "at most {MAX_INVITEES_PER_REQUEST} invitees fit in one request; this one has {}",
                    items.len()
                )));
            }
            Some(Value::Array(items)) if items.is_empty() => {
                r.shape("userInvites.userInvites".into(), "must hold at least one invitee");
            }
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    invitees.push(invitee(&mut r, item, &format!("userInvites.userInvites[{i}]")));
                }
            }
            Some(_) => r.shape("userInvites.userInvites".into(), "must be an array of invitees"),
            None => {}
        }
    }
    // Only shape errors and envelope value errors fail the whole request; invitees'
    // value errors were moved into their own results by `invitee`, and are listed
    // with the rest when the request fails as a whole.
    if !r.structural.is_empty() {
        for rejected in invitees.iter().filter_map(|i| i.as_ref().err()) {
            r.values.extend(rejected.errors.iter().cloned());
        }
    }
    match tenant_id {
        Some(tenant_id) => r.finish(SendRequest {
            tenant_id,
            invitees,
            send_email,
            expires_in_days,
        }),
        // A missing or bad tenantId was recorded as an error already.
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

fn invitee(r: &mut Reader, value: &Value, at: &str) -> Result<NewInvitee, RejectedInvitee> {
    let given_email = value.get("email").and_then(Value::as_str).map(str::to_owned);
    let values_before = r.values.len();
    let parsed = r.object(value, at).map(|map| {
        r.known_keys(
            map,
            at,
            &[
                "email",
                "firstName",
                "lastName",
                "locale",
                "roles",
                "data",
                "createdByUserId",
            ],
            READ_ONLY_INVITE_FIELDS,
        );
        (
            r.parsed(map, at, "email", true, EmailAddress::parse),
            r.name(map, at, "firstName"),
            r.name(map, at, "lastName"),
            r.parsed(map, at, "locale", false, Locale::parse),
            r.roles(map, at),
            r.data(map, at),
            r.uuid(map, at, "createdByUserId", UserId::parse),
        )
    });
    let own_values: Vec<FieldError> = r.values.drain(values_before..).collect();
    match parsed {
        Some((Some(email), first, last, locale, roles, data, created_by)) if own_values.is_empty() => Ok(NewInvitee {
            email,
            first_name: first.flatten(),
            last_name: last.flatten(),
            locale: locale.unwrap_or_default(),
            roles: roles.unwrap_or_default(),
            data: data.unwrap_or_default(),
            created_by,
        }),
        _ => Err(RejectedInvitee {
            email: given_email,
            errors: own_values,
        }),
    }
}

pub fn resend_request(body: &Value) -> Result<ResendRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["sendEmail", "expiresInDays"], &[]);
    let request = ResendRequest {
        send_email: r.boolean(top, "", "sendEmail").unwrap_or(true),
        expires_in_days: r.expiry_days(top, ""),
    };
    r.finish(request)
}

/// Cancel takes no fields; an empty body or `{}`.
pub fn cancel_request(body: &Value) -> Result<(), RequestError> {
    let mut r = Reader::default();
    if let Some(top) = r.object(body, "") {
        r.known_keys(top, "", &[], &[]);
    }
    r.finish(())
}

pub fn accept_request(body: &Value) -> Result<AcceptRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["acceptUserInvite"], &[]);
    let inner = r
        .field(top, "", "acceptUserInvite", true)
        .and_then(|v| r.object(v, "acceptUserInvite"));
    let Some(inner) = inner else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(inner, "acceptUserInvite", &["token", "acceptedByUserId"], &[]);
    let token = token_field(&mut r, inner, "acceptUserInvite");
    let accepted_by = r.uuid(inner, "acceptUserInvite", "acceptedByUserId", UserId::parse);
    match token {
        Some(token) => r.finish(AcceptRequest { token, accepted_by }),
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

pub fn check_token_request(body: &Value) -> Result<String, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["token"], &[]);
    match token_field(&mut r, top, "") {
        Some(token) => r.finish(token),
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

fn token_field(r: &mut Reader, map: &Map<String, Value>, parent: &str) -> Option<String> {
    r.parsed(map, parent, "token", true, |raw| {
        if raw.is_empty() || raw.chars().count() > MAX_TOKEN_CHARS {
            Err("must be a token of 1 to 512 characters")
        } else {
            Ok(raw.to_owned())
        }
    })
}

pub fn update_request(body: &Value) -> Result<UpdateRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["userInvite"], &[]);
    let inner = r
        .field(top, "", "userInvite", true)
        .and_then(|v| r.object(v, "userInvite"));
    let Some(inner) = inner else {
        return Err(RequestError::Invalid(r.structural));
    };
    const AT: &str = "userInvite";
    let mut read_only: Vec<&str> = READ_ONLY_INVITE_FIELDS.to_vec();
    read_only.extend(["email", "createdByUserId"]);
    r.known_keys(
        inner,
        AT,
        &["firstName", "lastName", "locale", "data", "roles", "acceptedByUserId"],
        &read_only,
    );
    if inner.is_empty() {
        r.shape(AT.into(), "must name at least one field to change");
    }
    let accepted_by = match inner.get("acceptedByUserId") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => r.uuid(inner, AT, "acceptedByUserId", UserId::parse).map(Some),
    };
    let locale = match inner.get("locale") {
        Some(Value::Null) => {
            r.shape(path(AT, "locale"), "must be a language tag such as en-US");
            None
        }
        _ => r.parsed(inner, AT, "locale", false, Locale::parse),
    };
    for key in ["data", "roles"] {
        if inner.get(key).is_some_and(Value::is_null) {
            r.shape(path(AT, key), "must not be null");
        }
    }
    let request = UpdateRequest {
        first_name: r.name(inner, AT, "firstName"),
        last_name: r.name(inner, AT, "lastName"),
        locale,
        data: r.data(inner, AT),
        roles: r.roles(inner, AT),
        accepted_by,
    };
    r.finish(request)
}

/// A path parameter naming an invite.
pub fn invite_id(raw: &str) -> Result<InviteId, RequestError> {
    InviteId::parse(raw).ok_or_else(|| RequestError::one("id", "must be a UUID"))
}

/// An `Idempotency-Key` header value: 1..=255 visible ASCII characters.
pub fn idempotency_key(raw: &[u8]) -> Result<String, RequestError> {
    let valid = !raw.is_empty() && raw.len() <= MAX_IDEMPOTENCY_KEY_CHARS && raw.iter().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(RequestError::one(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        ));
    }
    Ok(String::from_utf8_lossy(raw).into_owned())
}

/// Parses the list query string. Unknown or repeated parameters are errors, so a typo
/// never silently widens a query.
pub fn list_params(query: Option<&str>) -> Result<ListParams, RequestError> {
    const KNOWN: &[&str] = &[
        "limit",
        "offset",
        "cursor",
        "status",
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
    check(
        "limit",
        limit.is_none_or(|l| l.is_some()),
        "must be a whole number from 1 to 100",
    );
    let offset = value("offset").map(|v| v.parse::<u32>().ok().filter(|o| *o <= MAX_OFFSET));
    check(
        "offset",
        offset.is_none_or(|o| o.is_some()),
        "must be a whole number from 0 to 10000",
    );
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

    let mut statuses = Vec::new();
    if let Some(raw) = value("status") {
        for part in raw.split(',').map(str::trim) {
            match EffectiveStatus::parse(part) {
                Some(status) if !statuses.contains(&status) => statuses.push(status),
                Some(_) => {}
                None => check(
                    "status",
                    false,
                    "must be a comma list of pending, accepted, canceled, expired",
                ),
            }
        }
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
        "must be at most 100 characters",
    );
    let search = value("search").map(|s| fold_case(s.trim()));
    let sort = value("sort").map(SortField::parse);
    check(
        "sort",
        sort.is_none_or(|s| s.is_some()),
        "must be one of createdAt, updatedAt, email, status",
    );
    let order = value("order").map(|o| match o {
        "asc" => Some(SortOrder::Asc),
        "desc" => Some(SortOrder::Desc),
        _ => None,
    });
    check("order", order.is_none_or(|o| o.is_some()), "must be asc or desc");

    if !errors.is_empty() {
        return Err(RequestError::Invalid(errors));
    }
    Ok(ListParams {
        tenant_id: tenant_id.flatten(),
        statuses,
        email: email.and_then(Result::ok).map(|e| e.canonical().to_owned()),
        created_by: created_by.flatten(),
        accepted_by: accepted_by.flatten(),
        search: search.filter(|s| !s.is_empty()),
        sort: sort.flatten().unwrap_or(SortField::CreatedAt),
        order: order.flatten().unwrap_or(SortOrder::Desc),
        limit: limit.flatten().unwrap_or(DEFAULT_PAGE_LIMIT),
        offset: offset.flatten(),
        cursor,
    })
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use proptest::sample::select;
    use serde_json::json;

    use super::*;
    use crate::strategies::{json, json_object_of, locale};

    /// Every parser of a JSON body, on one value: none may panic, and a refusal always
    /// lists at least one field.
    fn parse_all(value: &Value) -> Result<(), TestCaseError> {
        fn listed<T>(result: Result<T, RequestError>) -> Result<(), TestCaseError> {
            if let Err(RequestError::Invalid(errors)) = &result {
                prop_assert!(!errors.is_empty(), "a refusal without a field");
            }
            Ok(())
        }
        let send = send_request(value);
        if let Ok(send) = &send {
            for rejected in send.invitees.iter().filter_map(|i| i.as_ref().err()) {
                prop_assert!(!rejected.errors.is_empty(), "a rejected invitee without a field");
            }
        }
        listed(send)?;
        listed(resend_request(value))?;
        listed(cancel_request(value))?;
        listed(accept_request(value))?;
        listed(check_token_request(value))?;
        listed(update_request(value))
    }

    fn invitee_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            json(),
            json_object_of(&[
                "email",
                "firstName",
                "lastName",
                "locale",
                "roles",
                "data",
                "createdByUserId",
                "status",
            ]),
        ]
    }

    /// Send bodies of the right envelope with anything inside.
    fn send_like() -> impl Strategy<Value = Value> {
        (
            json(),
            proptest::collection::vec(invitee_value(), 0..4),
            prop::option::of(json()),
            prop::option::of(json()),
        )
            .prop_map(|(tenant, invitees, send_email, days)| {
                let mut body = json!({ "userInvites": { "tenantId": tenant, "userInvites": invitees } });
                if let Some(flag) = send_email {
                    body["sendEmail"] = flag;
                }
                if let Some(days) = days {
                    body["expiresInDays"] = days;
                }
                body
            })
    }

    /// Update and accept bodies of the right envelope with anything inside.
    fn envelope_like() -> impl Strategy<Value = Value> {
        prop_oneof![
            json_object_of(&[
                "firstName",
                "lastName",
                "locale",
                "data",
                "roles",
                "acceptedByUserId",
                "email"
            ])
            .prop_map(|inner| json!({ "userInvite": inner })),
            json_object_of(&["token", "acceptedByUserId", "status"])
                .prop_map(|inner| json!({ "acceptUserInvite": inner })),
            json_object_of(&["token", "sendEmail", "expiresInDays"]),
        ]
    }

    fn name() -> impl Strategy<Value = String> {
        // Printable, at most 100 characters once trimmed, not blank.
        "[^\\p{Cc}]{0,98}".prop_map(|s| format!("N{}", s.trim()))
    }

    fn role() -> impl Strategy<Value = String> {
        "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"
    }

    fn data() -> impl Strategy<Value = Value> {
        proptest::collection::btree_map(
            "[a-z]{1,8}",
            prop_oneof![any::<i64>().prop_map(Value::from), ".{0,20}".prop_map(Value::String)],
            0..5,
        )
        .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    /// A valid invitee, and what it must parse to.
    fn valid_invitee(
        index: usize,
    ) -> impl Strategy<Value = (Value, String, Option<String>, Option<String>, String, Vec<String>)> {
        (
            "[a-z]{1,10}",
            prop::option::of(name()),
            prop::option::of(name()),
            prop::option::of(locale()),
            proptest::collection::btree_set(role(), 0..20),
            data(),
            any::<bool>(),
        )
            .prop_map(move |(local, first, last, locale, roles, data, padded)| {
                let email = format!("{local}{index}@Example.com");
                let given = if padded { format!("  {email} ") } else { email.clone() };
                let roles: Vec<String> = roles.into_iter().collect();
                let mut value = json!({ "email": given, "roles": roles, "data": data });
                if let Some(first) = &first {
                    value["firstName"] = json!(first);
                }
                if let Some(last) = &last {
                    value["lastName"] = json!(last);
                }
                let normal = match &locale {
                    Some((raw, normal)) => {
                        value["locale"] = json!(raw);
                        normal.clone()
                    }
                    None => "en-US".to_owned(),
                };
                (value, email, first, last, normal, roles)
            })
    }

    #[test]
    fn an_object_naming_a_key_twice_is_refused_at_any_depth() {
        for body in [
            r#"{"sendEmail": true, "sendEmail": false}"#,
            r#"{"userInvites": {"tenantId": "x", "userInvites": [{"roles": ["admin"], "roles": []}]}}"#,
            // The same key once escaped: both spell "a".
            r#"{"a": 1, "\u0061": 2}"#,
        ] {
            let Err(RequestError::Invalid(errors)) = parse_json(body.as_bytes(), false) else {
                panic!("{body} was accepted");
            };
            assert!(errors[0].message.contains("appears twice"), "{body}: {errors:?}");
        }
        // Equal keys in sibling objects are no repetition.
        let ok = parse_json(br#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#, false).unwrap();
        assert_eq!(ok, serde_json::json!([{"a": 1}, {"a": 2}, {"b": {"a": 3}}]));
    }

    proptest! {
        #[test]
        fn no_parser_panics_on_any_json(value in json()) {
            parse_all(&value)?;
        }

        #[test]
        fn bodies_without_repeated_keys_read_as_serde_json_reads_them(value in json()) {
            let text = serde_json::to_vec(&value).unwrap();
            // Compared with serde_json's own reading, not `value`: without its
            // `float_roundtrip` feature a float may come back one ulp off.
            prop_assert_eq!(parse_json(&text, false).unwrap(), serde_json::from_slice::<Value>(&text).unwrap());
        }

        #[test]
        fn no_parser_panics_on_near_valid_bodies(value in prop_oneof![send_like(), envelope_like()]) {
            parse_all(&value)?;
        }

        #[test]
        fn no_parser_panics_on_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..200), empty_is_object in any::<bool>()) {
            if let Ok(value) = parse_json(&body, empty_is_object) {
                parse_all(&value)?;
            }
        }

        #[test]
        fn query_and_header_parsers_never_panic(query in ".{0,200}", raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Err(RequestError::Invalid(errors)) = list_params(Some(&query)) {
                prop_assert!(!errors.is_empty());
            }
            let _ = invite_id(&query);
            if let Ok(key) = idempotency_key(&raw) {
                prop_assert_eq!(key.as_bytes(), &raw[..]);
            }
        }

        #[test]
        fn valid_send_bodies_parse_to_what_they_say(
            invitees in (1usize..6).prop_flat_map(|n| (0..n).map(valid_invitee).collect::<Vec<_>>()),
            tenant in any::<u128>(),
            send_email in prop::option::of(any::<bool>()),
            days in prop::option::of(1u32..=30),
        ) {
            let tenant = TenantId(uuid::Uuid::from_u128(tenant));
            let mut body = json!({ "userInvites": { "tenantId": tenant.to_string(),
                "userInvites": invitees.iter().map(|i| i.0.clone()).collect::<Vec<_>>() } });
            if let Some(flag) = send_email {
                body["sendEmail"] = json!(flag);
            }
            if let Some(days) = days {
                body["expiresInDays"] = json!(days);
            }
            let parsed = send_request(&body).map_err(|e| TestCaseError::fail(format!("{e:?}: {body}")))?;
            prop_assert_eq!(parsed.tenant_id, tenant);
            prop_assert_eq!(parsed.send_email, send_email.unwrap_or(true));
            prop_assert_eq!(parsed.expires_in_days, days);
            prop_assert_eq!(parsed.invitees.len(), invitees.len());
            for (got, (value, email, first, last, locale, roles)) in parsed.invitees.into_iter().zip(&invitees) {
                let got = got.map_err(|e| TestCaseError::fail(format!("{e:?}: {value}")))?;
                prop_assert_eq!(got.email.as_given(), email.as_str());
                prop_assert_eq!(got.first_name.map(PersonName::into_inner), first.as_ref().map(|s| s.trim().to_owned()));
                prop_assert_eq!(got.last_name.map(PersonName::into_inner), last.as_ref().map(|s| s.trim().to_owned()));
                prop_assert_eq!(got.locale.as_str(), locale.as_str());
                prop_assert_eq!(&got.roles.into_strings(), roles);
                prop_assert_eq!(Value::Object(got.data.into_inner()), value["data"].clone());
                prop_assert_eq!(got.created_by, None);
            }
        }

        #[test]
        fn valid_update_bodies_parse_to_what_they_say(
            first in prop::option::of(prop::option::of(name())),
            locale in prop::option::of(locale()),
            roles in prop::option::of(proptest::collection::btree_set(role(), 0..20)),
            data in prop::option::of(data()),
            accepted_by in prop::option::of(prop::option::of(any::<u128>())),
        ) {
            let mut inner = serde_json::Map::new();
            if let Some(first) = &first {
                inner.insert("firstName".into(), json!(first));
            }
            if let Some((raw, _)) = &locale {
                inner.insert("locale".into(), json!(raw));
            }
            if let Some(roles) = &roles {
                inner.insert("roles".into(), json!(roles));
            }
            if let Some(data) = &data {
                inner.insert("data".into(), data.clone());
            }
            let accepted_by = accepted_by.map(|a| a.map(|u| UserId(uuid::Uuid::from_u128(u))));
            if let Some(user) = &accepted_by {
                inner.insert("acceptedByUserId".into(), json!(user.map(|u| u.to_string())));
            }
            prop_assume!(!inner.is_empty());
            let body = json!({ "userInvite": inner });
            let parsed = update_request(&body).map_err(|e| TestCaseError::fail(format!("{e:?}: {body}")))?;
            prop_assert_eq!(parsed.first_name.map(|n| n.map(PersonName::into_inner)), first.map(|n| n.map(|s| s.trim().to_owned())));
            prop_assert_eq!(parsed.last_name, None);
            prop_assert_eq!(parsed.locale.map(|l| l.as_str().to_owned()), locale.map(|(_, normal)| normal));
            prop_assert_eq!(parsed.roles.map(Roles::into_strings), roles.map(|r| r.into_iter().collect::<Vec<_>>()));
            prop_assert_eq!(parsed.data.map(|d| Value::Object(d.into_inner())), data);
            prop_assert_eq!(parsed.accepted_by, accepted_by);
        }

        #[test]
        fn valid_accept_resend_and_check_bodies_parse(
            token in "[A-Za-z0-9_-]{1,512}",
            accepted_by in prop::option::of(any::<u128>()),
            send_email in prop::option::of(any::<bool>()),
            days in prop::option::of(1u32..=30),
        ) {
            let accepted_by = accepted_by.map(|u| UserId(uuid::Uuid::from_u128(u)));
            let mut inner = json!({ "token": token });
            if let Some(user) = accepted_by {
                inner["acceptedByUserId"] = json!(user.to_string());
            }
            let accept = accept_request(&json!({ "acceptUserInvite": inner })).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(accept, AcceptRequest { token: token.clone(), accepted_by });
            prop_assert_eq!(check_token_request(&json!({ "token": token })), Ok(token.clone()));

            let mut resend = json!({});
            if let Some(flag) = send_email {
                resend["sendEmail"] = json!(flag);
            }
            if let Some(days) = days {
                resend["expiresInDays"] = json!(days);
            }
            let parsed = resend_request(&resend).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(parsed, ResendRequest { send_email: send_email.unwrap_or(true), expires_in_days: days });
            prop_assert_eq!(cancel_request(&json!({})), Ok(()));
        }

        #[test]
        fn every_read_only_field_is_refused_by_name(field in select(READ_ONLY_INVITE_FIELDS), value in json()) {
            let mut invitee = json!({ "email": "a@example.com" });
            invitee[field] = value.clone();
            let body = json!({ "userInvites": { "tenantId": uuid::Uuid::nil().to_string(), "userInvites": [invitee] } });
            let Err(RequestError::Invalid(errors)) = send_request(&body) else {
                return Err(TestCaseError::fail(format!("{field} was accepted on send")));
            };
            let path = format!("userInvites.userInvites[0].{field}");
            prop_assert!(errors.iter().any(|e| e.field == path && e.message == "is read-only"), "{:?}", errors);
            if field != "acceptedByUserId" {
                let body = json!({ "userInvite": { "firstName": "A", field: value } });
                let Err(RequestError::Invalid(errors)) = update_request(&body) else {
                    return Err(TestCaseError::fail(format!("{field} was accepted on update")));
                };
                let path = format!("userInvite.{field}");
                prop_assert!(errors.iter().any(|e| e.field == path && e.message == "is read-only"), "{:?}", errors);
            }
        }
    }
}
