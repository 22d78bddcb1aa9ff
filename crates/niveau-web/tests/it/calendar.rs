#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The iCalendar feed (issue #16): `/kalender.ics` and `/api/v1/calendar.ics` by role, with
//! a read-only token in the address, and read back with the `icalendar` crate's parser.

use crate::common::{self, TestApp};

use axum::http::{StatusCode, header};
use icalendar::{Calendar, Component};
use niveau_store::Actor;
use serde_json::json;

/// A round and a board meeting whose texts try to break the format.
async fn fixture(app: &TestApp) -> (i32, i32) {
    let store = app.store();
    let sys = Actor::system("fixture");
    let round = store
        .create_round(
            &sys,
            serde_json::from_value(json!({
                "name": "Efterår 2026; \"runde\", med komma",
                "opens_on": "2026-09-01",
                "self_evaluation_deadline": "2026-10-01",
                "evaluation_deadline": "2026-11-15",
                "note": "Første linje\r\nEND:VEVENT\r\nBEGIN:VEVENT\\ æøå"}))
            .unwrap(),
        )
        .await
        .unwrap();
    let meeting = store
        .create_meeting(
            &sys,
            serde_json::from_value(
                json!({"held_on": "2026-12-10", "title": "Bestyrelsesmøde 10. december 2026"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    (round.round.id, meeting.id)
}

fn parse(text: &str) -> Vec<icalendar::Event> {
    let calendar: Calendar = text.parse().unwrap();
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event().cloned())
        .collect()
}

fn uids(events: &[icalendar::Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.get_uid().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_board_sees_round_dates_and_meetings_as_parseable_events() {
    let app = TestApp::new().await;
    let (round, meeting) = fixture(&app).await;
    for path in ["/kalender.ics", "/api/v1/calendar.ics"] {
        let a = app.get(path, Some("bestyrelse")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {:?}", a.body);
        assert_eq!(
            a.headers[header::CONTENT_TYPE],
            "text/calendar; charset=utf-8"
        );
        assert_eq!(a.headers[header::CACHE_CONTROL], "private, no-store");
        let text = common::text(&a);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        let events = parse(text);
        assert_eq!(
            uids(&events),
            vec![
                format!("round-{round}-opens@niveau"),
                format!("round-{round}-self-evaluation-deadline@niveau"),
                format!("round-{round}-evaluation-deadline@niveau"),
                format!("board-meeting-{meeting}@niveau"),
            ]
        );
        assert_eq!(
            events[0].get_summary(),
            Some("Efterår 2026; \"runde\", med komma åbner")
        );
        assert_eq!(
            events[1].get_summary(),
            Some("Efterår 2026; \"runde\", med komma: frist for selvevalueringer")
        );
        assert_eq!(
            events[0].get_description(),
            Some("Første linje\nEND:VEVENT\nBEGIN:VEVENT\\ æøå")
        );
        assert_eq!(
            events[3].get_summary(),
            Some("Bestyrelsesmøde 10. december 2026")
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20261001\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261210\r\n"));
    }
    // The same UIDs on the next request: a subscription updates, never duplicates.
    let again = app.get("/kalender.ics", Some("bestyrelse")).await;
    let first = app.get("/kalender.ics", Some("bestyrelse")).await;
    assert_eq!(
        uids(&parse(common::text(&again))),
        uids(&parse(common::text(&first)))
    );
    // English on request.
    let en = app.get("/kalender.ics?lang=en", Some("sekretariat")).await;
    let events = parse(common::text(&en));
    assert_eq!(
        events[1].get_summary(),
        Some("Efterår 2026; \"runde\", med komma: self-evaluation deadline")
    );
}

#[tokio::test]
async fn readers_see_rounds_only_and_the_public_an_empty_calendar() {
    let app = TestApp::new().await;
    let (round, _) = fixture(&app).await;
    let reader = app.get("/kalender.ics", Some("læser")).await;
    let events = parse(common::text(&reader));
    assert_eq!(events.len(), 3);
    assert!(
        uids(&events)
            .iter()
            .all(|u| u.starts_with(&format!("round-{round}-")))
    );
    let public = app.get("/api/v1/calendar.ics", None).await;
    assert_eq!(public.status, StatusCode::OK);
    let text = common::text(&public);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(parse(text).is_empty());
}

#[tokio::test]
async fn a_read_only_token_in_the_address_subscribes_and_a_write_token_is_refused() {
    let app = TestApp::new().await;
    fixture(&app).await;
    let secret = niveau_web::auth::token::new_api_token();
    let token = app
        .store()
        .create_api_token(
            &Actor::system("test"),
            app.users["bestyrelse"],
            "kalender",
            &niveau_web::auth::token::hash_secret(&secret),
            vec!["read".to_string()],
            None,
        )
        .await
        .unwrap();
    let feed = app
        .get(&format!("/kalender.ics?token={secret}"), None)
        .await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(parse(common::text(&feed)).len(), 4);

    // A token that may write does not belong in an address.
    let write = &app.tokens["bestyrelse"];
    let refused = app.get(&format!("/kalender.ics?token={write}"), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body["error"]["code"], "token_not_read_only");

    // Revoked on the profile page (the API's own-token deletion): the address stops working.
    app.store()
        .revoke_api_token(&Actor::system("test"), token.id)
        .await
        .unwrap();
    let gone = app
        .get(&format!("/api/v1/calendar.ics?token={secret}"), None)
        .await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(gone.body["error"]["code"], "invalid_token");
    let unknown = app.get("/kalender.ics?token=niv_nonsense", None).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_public_address_names_the_uid_domain_and_the_links() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("test.db").display().to_string();
    let config = niveau_web::WebConfig {
        public_url: Some("https://niveau.os2.example".into()),
        ..Default::default()
    };
    let app = TestApp::with_config(&url, config).await;
    let (round, _) = fixture(&app).await;
    let a = app.get("/kalender.ics", Some("sekretariat")).await;
    let text = common::text(&a);
    assert!(text.contains(&format!("UID:round-{round}-opens@niveau.os2.example\r\n")));
    assert!(text.contains(&format!(
        "URL:https://niveau.os2.example/runder/{round}\r\n"
    )));
}
