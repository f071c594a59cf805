//! A person's language is kept on their account, on the server: chosen once,
//! it is what `auth/status` says on every later sign-in (any device), until
//! they choose again. Only a signed-in person may choose, only a language the
//! control room has, and choosing one changes nobody else's.
//! Refused account details come back as data, to be said in the reader's
//! language.

use crate::support::TestServer;
use serde_json::{json, Value};

async fn language_of(server: &TestServer, client: &reqwest::Client) -> Value {
    let (status, answer) = server.call_as(client, "auth/status", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    answer["me"]["language"].clone()
}

#[tokio::test]
async fn a_chosen_language_follows_the_person_to_their_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let cs = server.login("cs").await;
    assert_eq!(
        language_of(&server, &cs).await,
        Value::Null,
        "none chosen yet"
    );

    let (status, answer) = server
        .call_as(&cs, "auth/language", json!({"language": "zh-CN"}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(language_of(&server, &cs).await, "zh-CN");

    // Another device: a new session of the same person.
    let elsewhere = server.login("cs").await;
    assert_eq!(language_of(&server, &elsewhere).await, "zh-CN");
    // Nobody else's changed.
    let finance = server.login("finance").await;
    assert_eq!(language_of(&server, &finance).await, Value::Null);

    let (status, _) = server
        .call_as(&elsewhere, "auth/language", json!({"language": "en"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(language_of(&server, &cs).await, "en");
}

#[tokio::test]
async fn only_a_signed_in_person_may_choose_and_only_a_known_language() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    let anonymous = reqwest::Client::new();
    let (status, _) = server
        .call_as(&anonymous, "auth/language", json!({"language": "zh-CN"}))
        .await;
    assert_eq!(status, 401);

    let cs = server.login("cs").await;
    let (status, answer) = server
        .call_as(&cs, "auth/language", json!({"language": "fr"}))
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(
        language_of(&server, &cs).await,
        Value::Null,
        "nothing changed"
    );
}

/// Account details the server refuses come back as data (which rule), so the
/// admin's page says it in the admin's language; nothing is created.
#[tokio::test]
async fn refused_account_details_are_answered_as_data_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::spawn(dir.path()).await;
    for (user, problem) in [
        (
            json!({"username": "x", "display_name": "X", "roles": ["finance"], "password": "long enough 1"}),
            "BadUsername",
        ),
        (
            json!({"username": "newbie", "display_name": "N", "roles": [], "password": "long enough 1"}),
            "NoRole",
        ),
        (
            json!({"username": "newbie", "display_name": "N", "roles": ["finance"], "password": "short"}),
            "ShortPassword",
        ),
    ] {
        let (status, answer) = server
            .call("admin/users/create", json!({"user": user}))
            .await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer, json!({"InvalidAccount": problem}));
    }
    let (_, users) = server.call("admin/users/list", json!({})).await;
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"x") && !names.contains(&"newbie"),
        "{names:?}"
    );
}
