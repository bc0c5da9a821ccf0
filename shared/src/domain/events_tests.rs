//! Which events each transition yields, and that their ids are stable.

use crate::domain::{EmailFeedback, RetryPolicy};
use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::domain::{
    Caller, DeliveryResult, EffectiveStatus, EmailAddress, InviteChanges, InviteId, InviteToken, NewInvite, PersonName,
    Reissue,
};

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().to_utc() + Duration::minutes(minutes)
}

fn pending(token: &InviteToken) -> Invite {
    let email = EmailAddress::parse("john@example.com").unwrap();
    Invite::issued(
        NewInvite {
            id: token.invite_id(),
            tenant_id: TenantId::random(),
            email: &email,
            created_by: UserId::random(),
            token_hash: token.hash(),
            email_status: EmailStatus::Queued,
            expires_at: at(60),
        },
        at(0),
    )
}

fn admin(invite: &Invite) -> Caller {
    Caller {
        user_id: UserId::random(),
        tenant_id: Some(invite.tenant_id),
        super_admin: true,
        name: None,
        roles: Vec::new(),
    }
}

fn kinds(events: &[InviteEvent]) -> Vec<EventType> {
    events.iter().map(|e| e.kind).collect()
}

const RETRY: RetryPolicy = RetryPolicy {
    window: Duration::hours(24),
};

#[test]
fn every_transition_yields_its_events_and_nothing_else() {
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(&token);
    assert_eq!(kinds(&events_between(None, &invite)), [EventType::Created]);

    // A delivery claim changes nothing a consumer sees; its outcome does.
    let claimed = invite
        .delivery_claimed(token.hash(), Duration::minutes(5), at(1))
        .unwrap();
    assert_eq!(kinds(&events_between(Some(&invite), &claimed)), []);
    let requeued = claimed
        .delivery_recorded(
            &claimed,
            &DeliveryResult::Transient("throttled".into()),
            RETRY,
            0.5,
            at(1),
        )
        .unwrap();
    assert_eq!(kinds(&events_between(Some(&claimed), &requeued)), []);
    let sent = claimed
        .delivery_recorded(
            &claimed,
            &DeliveryResult::Sent { message_id: "m".into() },
            RETRY,
            0.5,
            at(2),
        )
        .unwrap();
    assert_eq!(kinds(&events_between(Some(&claimed), &sent)), [EventType::EmailSent]);
    let failed = claimed
        .delivery_recorded(&claimed, &DeliveryResult::Rejected("no".into()), RETRY, 0.5, at(2))
        .unwrap();
    assert_eq!(
        kinds(&events_between(Some(&claimed), &failed)),
        [EventType::EmailFailed]
    );

    let caller = admin(&sent);
    let reissue = Reissue {
        token_hash: InviteToken::generate(sent.id).hash(),
        valid_for: Duration::days(7),
        send_email: false,
        limit_per_hour: 5,
    };
    let resent = sent.reissued(&caller, &reissue, at(3)).unwrap();
    assert_eq!(kinds(&events_between(Some(&sent), &resent)), [EventType::Resent]);

    let changes = InviteChanges {
        first_name: Some(PersonName::parse("Johnny").unwrap()),
        ..InviteChanges::default()
    };
    let updated = sent.updated(&caller, &changes, at(4)).unwrap();
    assert_eq!(kinds(&events_between(Some(&sent), &updated)), [EventType::Updated]);

    let canceled = sent.canceled(&caller, at(5)).unwrap();
    assert_eq!(kinds(&events_between(Some(&sent), &canceled)), [EventType::Canceled]);

    let by = UserId::random();
    let accepted = sent.accepted(&token, by, at(6)).unwrap();
    let events = events_between(Some(&sent), &accepted);
    assert_eq!(kinds(&events), [EventType::Accepted]);
    assert_eq!(events[0].accepted_by_user_id, Some(by));
    assert_eq!(events[0].roles.as_ref(), Some(&accepted.roles));
    assert_eq!(events[0].data.status, EffectiveStatus::Accepted);

    let recorded = sent.expiry_recorded(at(90)).unwrap();
    let events = events_between(Some(&sent), &recorded);
    assert_eq!(kinds(&events), [EventType::Expired]);
    assert_eq!(
        events[0].occurred_at,
        at(60),
        "when it expired, not when the sweep saw it"
    );
    assert_eq!(events[0].data.status, EffectiveStatus::Expired);
}

#[test]
fn ids_are_stable_across_redelivery_and_unique_across_events() {
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(&token);
    let claimed = invite
        .delivery_claimed(token.hash(), Duration::minutes(5), at(1))
        .unwrap();
    let sent = claimed
        .delivery_recorded(
            &claimed,
            &DeliveryResult::Sent { message_id: "m".into() },
            RETRY,
            0.5,
            at(2),
        )
        .unwrap();
    let first = events_between(Some(&claimed), &sent);
    let again = events_between(Some(&claimed), &sent);
    assert_eq!(first, again, "the same change yields the same events, ids included");
    let created = events_between(None, &invite);
    assert_ne!(created[0].id, first[0].id);
    let other = pending(&InviteToken::generate(InviteId::random()));
    assert_ne!(events_between(None, &other)[0].id, created[0].id);
}

#[test]
fn the_envelope_is_the_documented_json_and_holds_no_secret() {
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(&token);
    let event = serde_json::to_value(&events_between(None, &invite)[0]).unwrap();
    assert_eq!(event["type"], "user-invite.created");
    let mut keys: Vec<&str> = event.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["data", "id", "occurredAt", "tenantId", "type"],
        "accepted's extras only on accepted"
    );
    let text = event.to_string();
    assert!(!text.contains(token.expose()));
    assert!(!text.to_lowercase().contains("hash"), "{text}");
}

#[test]
fn a_bounce_is_an_event_and_a_delivery_or_complaint_is_not() {
    let token = InviteToken::generate(InviteId::random());
    let invite = pending(&token);
    let claimed = invite
        .delivery_claimed(token.hash(), Duration::minutes(5), at(1))
        .unwrap();
    let sent = claimed
        .delivery_recorded(
            &claimed,
            &DeliveryResult::Sent { message_id: "m".into() },
            RETRY,
            0.5,
            at(2),
        )
        .unwrap();
    let bounce = EmailFeedback::Bounced {
        permanent: true,
        reason: "Permanent/General".into(),
    };
    let bounced = sent.feedback_recorded("m", &bounce, at(3)).unwrap();
    assert_eq!(kinds(&events_between(Some(&sent), &bounced)), [EventType::EmailBounced]);
    assert_eq!(
        bounced.view(at(3)).email_status_reason.as_deref(),
        Some("Permanent/General")
    );
    let delivered = sent.feedback_recorded("m", &EmailFeedback::Delivered, at(3)).unwrap();
    assert_eq!(kinds(&events_between(Some(&sent), &delivered)), []);
    let complaint = EmailFeedback::Complained { reason: "abuse".into() };
    let complained = delivered.feedback_recorded("m", &complaint, at(4)).unwrap();
    assert_eq!(kinds(&events_between(Some(&delivered), &complained)), []);
    // Another message's word, or a delivery after a bounce, is refused.
    assert!(sent.feedback_recorded("other", &bounce, at(3)).is_err());
    assert!(
        bounced
            .feedback_recorded("m", &EmailFeedback::Delivered, at(4))
            .is_err()
    );
}
