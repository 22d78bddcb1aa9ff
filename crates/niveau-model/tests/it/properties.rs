//! Properties of the level rule and the count tables, over every built-in model and
//! random ratings.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{Model, Obligation, Rated, Rating, Ratings, Registry, count, indicate};
use proptest::prelude::*;

/// A requirement's state in a random assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Unrated,
    Green,
    Yellow,
    Red,
    GreyExplained,
    GreyUnexplained,
}

/// How good a state is for the level rule; "improving" means not going down.
fn strength(s: State) -> u8 {
    match s {
        State::Unrated | State::Red | State::GreyUnexplained => 0,
        State::Yellow => 1,
        State::Green | State::GreyExplained => 2,
    }
}

fn state() -> impl Strategy<Value = State> {
    prop_oneof![
        Just(State::Unrated),
        Just(State::Green),
        Just(State::Yellow),
        Just(State::Red),
        Just(State::GreyExplained),
        Just(State::GreyUnexplained),
    ]
}

fn models() -> &'static [Model] {
    static MODELS: std::sync::LazyLock<Vec<Model>> =
        std::sync::LazyLock::new(|| Registry::builtin().unwrap().models().to_vec());
    &MODELS
}

fn ratings(model: &Model, states: &[State]) -> Ratings {
    let mut out = Ratings::new();
    for (req, s) in model.requirements().iter().zip(states) {
        let rated = match s {
            State::Unrated => continue,
            State::Green => Rated::new(Rating::Green),
            State::Yellow => Rated::with_basis(Rating::Yellow, "delvist"),
            State::Red => Rated::new(Rating::Red),
            State::GreyExplained => Rated::with_basis(Rating::Grey, "Ikke relevant, fordi …"),
            State::GreyUnexplained => Rated::with_basis(Rating::Grey, "   "),
        };
        out.set(req.id.clone(), rated);
    }
    out
}

/// The indicated level as a position (-1: none), so that levels compare.
fn position(model: &Model, r: &Ratings) -> i64 {
    indicate(model, r)
        .level
        .and_then(|l| model.level_position(&l))
        .map(|p| p as i64)
        .unwrap_or(-1)
}

/// The rule written out independently of the engine.
fn reference_position(model: &Model, states: &[State]) -> i64 {
    let mut best = -1;
    for (pos, level) in model.levels().iter().enumerate() {
        let ok = model
            .requirements()
            .iter()
            .zip(states)
            .filter(|(r, _)| r.obligation == Obligation::Must)
            .filter(|(r, _)| model.level(r.level.as_str()).unwrap().rank <= level.rank)
            .all(|(_, s)| matches!(s, State::Green | State::GreyExplained));
        if ok {
            best = pos as i64;
        } else {
            break;
        }
    }
    best
}

/// A model index, a full assessment, a requirement index and a second state.
fn case() -> impl Strategy<Value = (usize, Vec<State>, usize, State)> {
    (
        0usize..3,
        prop::collection::vec(state(), 60),
        0usize..60,
        state(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn the_engine_applies_the_rule((m, states, _, _) in case()) {
        let model = &models()[m];
        let states = &states[..model.requirements().len()];
        prop_assert_eq!(position(model, &ratings(model, states)), reference_position(model, states));
    }

    #[test]
    fn improving_a_rating_never_lowers_the_level((m, mut states, i, new) in case()) {
        let model = &models()[m];
        let n = model.requirements().len();
        let i = i % n;
        prop_assume!(strength(new) >= strength(states[i]));
        let before = position(model, &ratings(model, &states[..n]));
        states[i] = new;
        let after = position(model, &ratings(model, &states[..n]));
        prop_assert!(after >= before, "{:?}: {} → {}", new, before, after);
    }

    #[test]
    fn changing_a_should_rating_never_changes_the_level((m, mut states, i, new) in case()) {
        let model = &models()[m];
        let n = model.requirements().len();
        let shoulds: Vec<usize> = model
            .requirements()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.obligation == Obligation::Should)
            .map(|(k, _)| k)
            .collect();
        prop_assume!(!shoulds.is_empty());
        let k = shoulds[i % shoulds.len()];
        let before = position(model, &ratings(model, &states[..n]));
        states[k] = new;
        let after = position(model, &ratings(model, &states[..n]));
        prop_assert_eq!(after, before);
    }

    #[test]
    fn removing_a_grey_explanation_never_raises_the_level((m, states, i, _) in case()) {
        let model = &models()[m];
        let n = model.requirements().len();
        let mut r = ratings(model, &states[..n]);
        let before = position(model, &r);
        let id = model.requirements()[i % n].id.clone();
        if let Some(rated) = r.get_mut(id.as_str()) && rated.rating == Rating::Grey {
            rated.basis = None;
        }
        let after = position(model, &r);
        prop_assert!(after <= before);
    }

    #[test]
    fn count_tables_add_up((m, states, _, _) in case()) {
        let model = &models()[m];
        let n = model.requirements().len();
        let r = ratings(model, &states[..n]);
        let t = count(model, &r);
        prop_assert_eq!(t.total.requirements() as usize, n);
        prop_assert_eq!(t.total.rated() as usize, r.len());
        let by_level: u32 = t.by_level.iter().map(|(_, c)| c.requirements()).sum();
        prop_assert_eq!(by_level as usize, n);
        let by_theme: u32 = t.by_theme.iter().map(|row| row.total.requirements()).sum();
        prop_assert_eq!(by_theme as usize, n);
        for (level, c) in &t.by_level {
            let column: u32 = t
                .by_theme
                .iter()
                .map(|row| row.per_level.iter().find(|(l, _)| l == level).unwrap().1.green)
                .sum();
            prop_assert_eq!(column, c.green);
        }
        let green = states[..n].iter().filter(|s| **s == State::Green).count();
        prop_assert_eq!(t.total.green as usize, green);
    }

    #[test]
    fn next_level_lists_exactly_what_blocks_it((m, states, _, _) in case()) {
        let model = &models()[m];
        let n = model.requirements().len();
        let r = ratings(model, &states[..n]);
        let ind = indicate(model, &r);
        if let Some(next) = &ind.next {
            // Fixing exactly the missing requirements reaches the next level.
            let mut fixed = r.clone();
            for u in &next.missing {
                fixed.set(u.requirement.clone(), Rated::new(Rating::Green));
            }
            let reached = indicate(model, &fixed).level;
            prop_assert!(reached.is_some());
            let pos = model.level_position(reached.as_ref().unwrap()).unwrap();
            prop_assert!(pos >= model.level_position(&next.level).unwrap());
            prop_assert!(!next.missing.is_empty());
        } else {
            prop_assert_eq!(ind.level.as_ref(), model.levels().last().map(|l| &l.id));
        }
    }
}
