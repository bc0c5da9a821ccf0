use serde_json::json;

use crate::helpers::{json_of, problem, spawn_app, token_answer};

#[tokio::test]
async fn an_invite_goes_from_send_to_accept_through_the_emailed_link() {
    let app = spawn_app().await;
    let invite = app.invite("Wick.John@Gmail.com").await;
    assert_eq!(invite["status"], "pending");
    assert_eq!(invite["emailStatus"], "sent");
    assert!(
        invite.get("acceptUrl").is_none(),
        "an emailed invite never returns its link"
    );

    let mails = app.mails_to("wick.john@gmail.com").await;
    assert_eq!(mails.len(), 1);
    let token = mails[0].token();

    let check = app
        .post("/user-invites/check-token", None, json!({ "token": token }))
        .await;
    let check = json_of(check, 200).await;
    assert_eq!(check, token_answer(&invite, "pending"));
    assert_eq!(check["email"], "Wick.John@Gmail.com", "the address as given");

    let invitee = uuid::Uuid::new_v4();
    let accept = app
        .post(
            "/user-invites/accept",
            Some(&app.token_for(invitee, None, false)),
            json!({ "acceptUserInvite": { "token": token } }),
        )
        .await;
    let accepted = json_of(accept, 200).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["acceptedByUserId"], invitee.to_string());

    let again = app
        .post(
            "/user-invites/accept",
            Some(&app.token_for(invitee, None, false)),
            json!({ "acceptUserInvite": { "token": token } }),
        )
        .await;
    problem(again, 409, "INVITE_ALREADY_ACCEPTED").await;
}
