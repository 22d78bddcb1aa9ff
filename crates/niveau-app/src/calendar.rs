//! The iCalendar feed (RFC 5545) of the yearly cycle: each round's opening, its deadline
//! for self-evaluations and its deadline for evaluations, and the board's meetings, as
//! all-day events for a calendar program to subscribe to.
//!
//! What a caller sees follows the permission table: rounds are part of the portfolio
//! (logged-in readers, [`Action::ReadPortfolio`]), board meetings are the board's and the
//! secretariat's ([`Action::ReadBoard`]). Nothing in the feed is public, so an anonymous
//! caller gets a valid, empty calendar.
//!
//! The writer is the `icalendar` crate: it escapes TEXT values (`\`, `;`, `,`, newline)
//! and folds content lines at 75 octets on character boundaries. [`calendar_text`] is the
//! one place our text passes through before it: it turns every line break into `\n` and
//! drops the other control characters, which RFC 5545 does not allow in TEXT (the crate
//! would write a bare carriage return as it is). UIDs are stable across requests
//! (`round-<id>-opens@<domain>`, `board-meeting-<id>@<domain>`), so a subscribed
//! calendar updates an event instead of adding a second one; DTSTAMP is the time of the
//! row's last change.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use niveau_model::Msg;
use niveau_store::ListParams;

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, allowed};
use crate::principal::Caller;

/// Where the feed's events point and what their UIDs end in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedContext {
    /// The server's public address without a trailing slash (`https://niveau.os2.eu`);
    /// none: events carry no link.
    pub public_url: Option<String>,
    /// English summaries instead of Danish.
    pub english: bool,
}

impl FeedContext {
    /// The domain part of every UID: the public address's host, or `niveau`.
    fn uid_domain(&self) -> String {
        self.public_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_else(|| "niveau".to_owned())
    }

    fn link(&self, path: &str) -> Option<String> {
        self.public_url
            .as_deref()
            .map(|u| format!("{}{path}", u.trim_end_matches('/')))
    }
}

/// One event of the feed, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable UID without the domain (`round-3-opens`).
    pub uid: String,
    /// The day (an all-day event).
    pub day: NaiveDate,
    /// One line.
    pub summary: String,
    /// Longer text, if any.
    pub description: Option<String>,
    /// The page on the server (a path, `/runder/3`).
    pub path: String,
    /// When the row behind the event last changed (DTSTAMP).
    pub stamp: DateTime<Utc>,
}

/// `text` as it may go into a TEXT value: CRLF and lone CR become LF (which the writer
/// escapes as `\n`), and every other control character but the tab is dropped.
pub fn calendar_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The events `who` may see: every round's three dates (logged-in readers) and every
/// board meeting (the board and the secretariat), oldest first; at most the newest 500
/// rounds and 500 meetings.
pub async fn events(app: &App, who: Caller<'_>, english: bool) -> AppResult<Vec<FeedEvent>> {
    let mut out = Vec::new();
    if allowed(who, Action::ReadPortfolio) {
        let rounds = app.store().list_rounds(&ListParams::all()).await?;
        for r in rounds.items {
            let path = format!("/runder/{}", r.id);
            let note = r.note.clone().filter(|n| !n.trim().is_empty());
            let dates = [
                (
                    "opens",
                    r.opens_on,
                    Msg::new(format!("{} åbner", r.name), format!("{} opens", r.name)),
                ),
                (
                    "self-evaluation-deadline",
                    r.self_evaluation_deadline,
                    Msg::new(
                        format!("{}: frist for selvevalueringer", r.name),
                        format!("{}: self-evaluation deadline", r.name),
                    ),
                ),
                (
                    "evaluation-deadline",
                    r.evaluation_deadline,
                    Msg::new(
                        format!("{}: frist for evalueringer", r.name),
                        format!("{}: evaluation deadline", r.name),
                    ),
                ),
            ];
            for (key, day, summary) in dates {
                out.push(FeedEvent {
                    uid: format!("round-{}-{key}", r.id),
                    day,
                    summary: summary.pick(english).to_owned(),
                    description: note.clone(),
                    path: path.clone(),
                    stamp: r.updated_at,
                });
            }
        }
    }
    if allowed(who, Action::ReadBoard) {
        let meetings = app.store().list_meetings(&ListParams::all()).await?;
        for m in meetings.items {
            out.push(FeedEvent {
                uid: format!("board-meeting-{}", m.id),
                day: m.held_on,
                summary: m.title.clone(),
                description: m.agenda.clone().filter(|a| !a.trim().is_empty()),
                path: format!("/bestyrelse/moeder/{}", m.id),
                stamp: m.updated_at,
            });
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.uid.cmp(&b.uid)));
    Ok(out)
}

/// `events` written as an iCalendar document (CRLF line ends, folded lines).
pub fn write(events: &[FeedEvent], ctx: &FeedContext) -> String {
    let domain = ctx.uid_domain();
    let mut calendar = Calendar::new();
    calendar.name(&calendar_text(
        Msg::new(
            "Niveau: runder og bestyrelsesmøder",
            "Niveau: rounds and board meetings",
        )
        .pick(ctx.english),
    ));
    for e in events {
        let mut event = Event::new();
        event
            .uid(&format!("{}@{domain}", e.uid))
            .timestamp(e.stamp)
            .all_day(e.day)
            .summary(&calendar_text(&e.summary));
        if let Some(d) = &e.description {
            event.description(&calendar_text(d));
        }
        if let Some(link) = ctx.link(&e.path) {
            event.url(&link);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// The feed for `who`: [`events`] written by [`write`].
pub async fn feed(app: &App, who: Caller<'_>, ctx: &FeedContext) -> AppResult<String> {
    let events = events(app, who, ctx.english).await?;
    Ok(write(&events, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn control_characters_become_line_breaks_or_go() {
        assert_eq!(calendar_text("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(calendar_text("x\u{0}y\u{7}z\tw"), "xyz\tw");
    }

    #[test]
    fn hostile_text_is_escaped_folded_and_reads_back() {
        let hostile = "Møde; punkt 1, punkt 2\\ slut\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil\u{0}€€€ \
                       æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå 🎉🎉🎉🎉🎉";
        let events = vec![FeedEvent {
            uid: "board-meeting-7".into(),
            day: NaiveDate::from_ymd_opt(2027, 3, 12).unwrap_or_default(),
            summary: hostile.into(),
            description: Some(hostile.into()),
            path: "/bestyrelse/moeder/7".into(),
            stamp: stamp(),
        }];
        let ctx = FeedContext {
            public_url: Some("https://niveau.example/".into()),
            english: false,
        };
        let text = write(&events, &ctx);
        // Every line ends in CRLF, no line is longer than 75 octets, no bare CR or LF.
        assert!(text.ends_with("\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
            assert!(!line.contains('\r') && !line.contains('\n'));
        }
        // The hostile text did not start a second event nor smuggle a UID.
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 1);
        assert_eq!(lines.iter().filter(|l| l.starts_with("UID:")).count(), 1);
        assert!(text.contains("UID:board-meeting-7@niveau.example\r\n"));
        assert!(text.contains("DTSTAMP:20261205T100000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20270312\r\n"));
        assert!(text.contains("URL:https://niveau.example/bestyrelse/moeder/7\r\n"));
        // Read back with the crate's parser: the same text, line breaks as LF.
        let parsed: Calendar = text.parse().unwrap_or_default();
        let event = parsed
            .components
            .iter()
            .find_map(|c| c.as_event())
            .cloned()
            .unwrap_or_default();
        let expected = calendar_text(hostile);
        assert_eq!(event.get_summary(), Some(expected.as_str()));
        assert_eq!(event.get_description(), Some(expected.as_str()));
        assert_eq!(event.get_uid(), Some("board-meeting-7@niveau.example"));
    }

    #[test]
    fn without_a_public_address_uids_use_niveau_and_events_carry_no_link() {
        let events = vec![FeedEvent {
            uid: "round-1-opens".into(),
            day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
            summary: "Efterår 2026 åbner".into(),
            description: None,
            path: "/runder/1".into(),
            stamp: stamp(),
        }];
        let text = write(
            &events,
            &FeedContext {
                public_url: None,
                english: true,
            },
        );
        assert!(text.contains("UID:round-1-opens@niveau\r\n"));
        assert!(!text.contains("URL:"));
        assert!(text.contains("X-WR-CALNAME:Niveau: rounds and board meetings\r\n"));
    }
}
