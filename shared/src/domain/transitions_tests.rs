//! The transitions on their own: no store, no clock but the `now` each takes.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::domain::{EmailAddress, InviteId, NewInvite, TenantId};

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::minutes(minutes)
}

fn pending(tenant: TenantId, token: &InviteToken) -> Invite {
    let email = EmailAddress::parse("john@example.com").unwrap();
    Invite::issued(
        NewInvite {
            id: token.invite_id(),
            tenant_id: tenant,
            email: &email,
            created_by: UserId::random(),
            token_hash: token.hash(),
            email_status: EmailStatus::Queued,
            expires_at: at(60),
        },
        at(0),
    )
}

fn member(tenant: TenantId) -> Caller {
    Caller {
        user_id: UserId::random(),
        tenant_id: Some(tenant),
        super_admin: false,
        name: None,
        roles: Vec::new(),
    }
}

fn reissue(send_email: bool) -> Reissue {
    Reissue {
        token_hash: InviteToken::generate(InviteId::random()).hash(),
        valid_for: Duration::days(7),
        send_email,
        limit_per_hour: 2,
    }
}

#[test]
fn accept_takes_only_the_current_token_of_a_pending_invite() {
    let tenant = TenantId::random();
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(tenant, &token);
    let other = InviteToken::generate(invite.id);
    let by = UserId::random();
    assert_eq!(invite.accepted(&other, by, at(1)), Err(Refusal::TokenInvalid));
    assert_eq!(invite.accepted(&token, by, at(60)), Err(Refusal::Expired));
    let accepted = invite.accepted(&token, by, at(1)).unwrap();
    assert_eq!(accepted.status, InviteStatus::Accepted);
    assert_eq!(accepted.accepted_by_user_id, Some(by));
    assert_eq!((accepted.version, accepted.status_updated_at), (2, at(1)));
    assert_eq!(accepted.accepted(&token, by, at(2)), Err(Refusal::AlreadyAccepted));
    let canceled = invite.canceled(&member(tenant), at(1)).unwrap();
    assert_eq!(canceled.accepted(&token, by, at(2)), Err(Refusal::Canceled));
}

#[test]
fn cancel_and_resend_need_an_open_invite_the_caller_can_see() {
    let tenant = TenantId::random();
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(tenant, &token);
    let stranger = member(TenantId::random());
    assert_eq!(invite.canceled(&stranger, at(1)), Err(Refusal::NotFound));
    assert_eq!(
        invite.reissued(&stranger, &reissue(true), at(1)),
        Err(Refusal::NotFound)
    );
    let canceled = invite.canceled(&member(tenant), at(1)).unwrap();
    assert_eq!(
        canceled.canceled(&member(tenant), at(2)),
        Err(Refusal::NotPending(EffectiveStatus::Canceled))
    );
    assert_eq!(
        canceled.reissued(&member(tenant), &reissue(true), at(2)),
        Err(Refusal::NotPending(EffectiveStatus::Canceled))
    );
    // An expired invite is still open: it may be canceled, or revived by a resend.
    assert_eq!(invite.open_for(&member(tenant), at(61)), Ok(EffectiveStatus::Expired));
    let revived = invite.reissued(&member(tenant), &reissue(false), at(61)).unwrap();
    assert_eq!(revived.effective_status(at(62)), EffectiveStatus::Pending);
    assert_eq!(revived.status_updated_at, at(61));
    assert_eq!(revived.email_status, EmailStatus::Skipped);
    assert_eq!((revived.send_count, revived.last_sent_at), (2, at(61)));
    assert!(!revived.token_hash.matches(&token), "the old token stops working");
}

#[test]
fn resends_are_limited_per_rolling_hour_and_say_when_to_retry() {
    let tenant = TenantId::random();
    let caller = member(tenant);
    let invite = pending(tenant, &InviteToken::generate(InviteId::random()));
    let once = invite.reissued(&caller, &reissue(true), at(0)).unwrap();
    let twice = once.reissued(&caller, &reissue(true), at(10)).unwrap();
    assert_eq!(
        twice.reissued(&caller, &reissue(true), at(30)),
        Err(Refusal::RateLimited {
            retry_after_secs: 30 * 60
        })
    );
    // Once the first resend is an hour old, one more fits.
    assert!(
        twice
            .reissued(&caller, &reissue(true), at(60) + Duration::milliseconds(1))
            .is_ok()
    );
}

#[test]
fn a_resend_voids_a_claimed_delivery() {
    let tenant = TenantId::random();
    let invite = pending(tenant, &InviteToken::generate(InviteId::random()));
    let claimed = invite
        .delivery_claimed(InviteToken::generate(invite.id).hash(), Duration::minutes(5), at(1))
        .unwrap();
    let resent = claimed.reissued(&member(tenant), &reissue(true), at(2)).unwrap();
    assert_eq!((resent.sending_since, resent.delivery_attempts), (None, 0));
    let sent = DeliveryResult::Sent { message_id: "m".into() };
    assert_eq!(
        resent.delivery_recorded(
            &claimed,
            &sent,
            RetryPolicy {
                window: Duration::hours(24)
            },
            0.5,
            at(3)
        ),
        Err(Refusal::NotPending(EffectiveStatus::Pending)),
        "the outcome of the old claim is not recorded over the new issue"
    );
}

#[test]
fn one_claim_at_a_time_until_its_lease_runs_out() {
    let invite = pending(TenantId::random(), &InviteToken::generate(InviteId::random()));
    let lease = Duration::minutes(5);
    let hash = || InviteToken::generate(invite.id).hash();
    let claimed = invite.delivery_claimed(hash(), lease, at(1)).unwrap();
    assert_eq!(claimed.sending_since, Some(at(1)));
    assert!(claimed.delivery_claimed(hash(), lease, at(5)).is_err());
    assert!(claimed.delivery_claimed(hash(), lease, at(6)).is_ok());
    let skipped = Invite {
        email_status: EmailStatus::Skipped,
        ..invite.clone()
    };
    assert!(skipped.delivery_claimed(hash(), lease, at(1)).is_err());
    assert!(invite.delivery_claimed(hash(), lease, at(60)).is_err(), "expired");
}

#[test]
fn passing_failures_wait_a_growing_jittered_delay_until_the_window_closes_and_rejections_fail_at_once() {
    let invite = pending(TenantId::random(), &InviteToken::generate(InviteId::random()));
    let lease = Duration::minutes(5);
    let retry = RetryPolicy {
        window: Duration::hours(1),
    };
    let claim = |invite: &Invite, now| {
        invite
            .delivery_claimed(InviteToken::generate(invite.id).hash(), lease, now)
            .unwrap()
    };
    let transient = DeliveryResult::Transient("throttled".into());
    let first = claim(&invite, at(1));
    let deferred = first.delivery_recorded(&first, &transient, retry, 0.5, at(1)).unwrap();
    assert_eq!(
        (
            deferred.email_status,
            deferred.delivery_attempts,
            deferred.sending_since
        ),
        (EmailStatus::Queued, 1, None)
    );
    assert_eq!(deferred.retry_at, Some(at(1) + Duration::milliseconds(1500)));
    assert!(
        !deferred.awaits_delivery(),
        "deferred: the stream must not bring it back at once"
    );
    assert!(
        deferred
            .delivery_claimed(InviteToken::generate(invite.id).hash(), lease, at(1))
            .is_err(),
        "no mailer claims it before it is due"
    );
    let second = claim(&deferred, at(1) + Duration::seconds(2));
    assert_eq!(second.retry_at, None);
    // The window is an hour from when it was queued: a retry due after it is a failure.
    let late = invite.last_sent_at + Duration::minutes(59) + Duration::seconds(59);
    let failed = second.delivery_recorded(&second, &transient, retry, 0.0, late).unwrap();
    assert_eq!(failed.email_status, EmailStatus::Failed);
    assert!(failed.email_error.as_deref().unwrap().contains("throttled"));
    let rejected = first
        .delivery_recorded(&first, &DeliveryResult::Rejected("no".into()), retry, 0.5, at(1))
        .unwrap();
    assert_eq!(rejected.email_status, EmailStatus::Failed);
    let sent = first
        .delivery_recorded(
            &first,
            &DeliveryResult::Sent { message_id: "m".into() },
            retry,
            0.5,
            at(1),
        )
        .unwrap();
    assert_eq!(
        (sent.email_status, sent.message_id.as_deref(), sent.sending_since),
        (EmailStatus::Sent, Some("m"), None)
    );
}

#[test]
fn the_retry_delay_doubles_from_seconds_to_a_fifteen_minute_cap_with_half_of_it_jittered() {
    let secs = |attempt, jitter| RetryPolicy::delay(attempt, jitter).num_milliseconds() as f64 / 1000.0;
    assert_eq!((secs(1, 0.0), secs(1, 0.999)), (1.0, 1.999));
    assert_eq!((secs(2, 0.0), secs(3, 0.0), secs(4, 0.0)), (2.0, 4.0, 8.0));
    assert_eq!((secs(10, 0.0), secs(10, 1.0)), (450.0, 900.0));
    assert_eq!(secs(1000, 1.0), 900.0, "capped, never overflowing");
}

#[test]
fn update_changes_the_profile_while_pending_and_the_acceptor_by_a_super_admin() {
    let tenant = TenantId::random();
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(tenant, &token);
    let user = member(tenant);
    let rename = InviteChanges {
        first_name: Some(PersonName::parse("Fast").unwrap()),
        last_name: Some(None),
        ..InviteChanges::default()
    };
    let renamed = invite.updated(&user, &rename, at(1)).unwrap();
    assert_eq!(
        (renamed.first_name.as_deref(), renamed.last_name.as_deref()),
        (Some("Fast"), None)
    );
    assert_eq!(
        invite.updated(&member(TenantId::random()), &rename, at(1)),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        invite.updated(&user, &rename, at(60)),
        Err(Refusal::NotPending(EffectiveStatus::Expired))
    );
    let set_acceptor = InviteChanges {
        accepted_by: Some(Some(UserId::random())),
        ..InviteChanges::default()
    };
    assert!(matches!(
        invite.updated(&user, &set_acceptor, at(1)),
        Err(Refusal::Forbidden(_))
    ));
    let admin = Caller {
        super_admin: true,
        ..user.clone()
    };
    assert_eq!(
        invite.updated(&admin, &set_acceptor, at(1)),
        Err(Refusal::NotAccepted(EffectiveStatus::Pending))
    );
    let accepted = invite.accepted(&token, UserId::random(), at(1)).unwrap();
    assert!(accepted.updated(&admin, &set_acceptor, at(2)).is_ok());
    let clear = InviteChanges {
        accepted_by: Some(None),
        ..InviteChanges::default()
    };
    assert_eq!(accepted.updated(&admin, &clear, at(2)), Err(Refusal::AlreadyAccepted));
    assert!(
        invite.updated(&user, &clear, at(1)).is_ok(),
        "null while there is no acceptor"
    );
}

#[test]
fn the_sweep_records_an_expiry_once_and_a_resend_lists_the_invite_pending_again() {
    let tenant = TenantId::random();
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(tenant, &token);
    assert_eq!(invite.listed_status(), EffectiveStatus::Pending);
    assert_eq!(
        invite.expiry_recorded(at(59)),
        Err(Refusal::NotPending(EffectiveStatus::Pending))
    );
    let recorded = invite.expiry_recorded(at(60)).unwrap();
    assert_eq!(recorded.listed_status(), EffectiveStatus::Expired);
    assert_eq!(recorded.effective_status(at(60)), EffectiveStatus::Expired);
    assert_eq!(recorded.version, invite.version + 1);
    // What callers see does not change.
    assert_eq!(recorded.view(at(61)), invite.view(at(61)));
    assert_eq!(
        recorded.expiry_recorded(at(61)),
        Err(Refusal::NotPending(EffectiveStatus::Expired))
    );
    let user = member(tenant);
    let resent = recorded.reissued(&user, &reissue(false), at(70)).unwrap();
    assert_eq!(resent.listed_status(), EffectiveStatus::Pending);
    let canceled = recorded.canceled(&user, at(70)).unwrap();
    assert_eq!(canceled.listed_status(), EffectiveStatus::Canceled);
}
