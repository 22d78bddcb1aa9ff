//! The two count tables OS2's evaluation template prints: ratings per level, and ratings
//! per theme × level, each with totals.

use serde::Serialize;

use crate::ids::{LevelId, ThemeId};
use crate::model::Model;
use crate::rating::{Rating, Ratings};

/// How many requirements have each rating. `unrated` is kept apart; OS2's tables do not
/// print it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 🟢
    pub green: u32,
    /// 🟡
    pub yellow: u32,
    /// 🔴
    pub red: u32,
    /// ⚪
    pub grey: u32,
    /// Not rated.
    pub unrated: u32,
}

impl Counts {
    /// The count for one rating.
    pub fn get(&self, rating: Rating) -> u32 {
        match rating {
            Rating::Green => self.green,
            Rating::Yellow => self.yellow,
            Rating::Red => self.red,
            Rating::Grey => self.grey,
        }
    }

    /// Number of rated requirements.
    pub fn rated(&self) -> u32 {
        self.green + self.yellow + self.red + self.grey
    }

    /// Number of requirements, rated or not.
    pub fn requirements(&self) -> u32 {
        self.rated() + self.unrated
    }

    fn add(&mut self, rating: Option<Rating>) {
        match rating {
            Some(Rating::Green) => self.green += 1,
            Some(Rating::Yellow) => self.yellow += 1,
            Some(Rating::Red) => self.red += 1,
            Some(Rating::Grey) => self.grey += 1,
            None => self.unrated += 1,
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.green += other.green;
        self.yellow += other.yellow;
        self.red += other.red;
        self.grey += other.grey;
        self.unrated += other.unrated;
    }
}

/// One row of the theme table: a theme's counts per level and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeRow {
    /// The theme.
    pub theme: ThemeId,
    /// Counts per level, in the model's level order.
    pub per_level: Vec<(LevelId, Counts)>,
    /// All levels together.
    pub total: Counts,
}

/// Both tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountTables {
    /// Table 1: per level (rows) × rating (columns).
    pub by_level: Vec<(LevelId, Counts)>,
    /// Table 1 total row.
    pub total: Counts,
    /// Table 2: per theme (rows) × level (columns); the total row of table 2 equals
    /// `by_level` and `total`.
    pub by_theme: Vec<ThemeRow>,
}

impl CountTables {
    /// Counts of one level.
    pub fn level(&self, level: &str) -> Option<&Counts> {
        self.by_level
            .iter()
            .find(|(l, _)| l.as_str() == level)
            .map(|(_, c)| c)
    }

    /// Counts of one theme at one level.
    pub fn theme_level(&self, theme: &str, level: &str) -> Option<&Counts> {
        self.by_theme
            .iter()
            .find(|row| row.theme.as_str() == theme)?
            .per_level
            .iter()
            .find(|(l, _)| l.as_str() == level)
            .map(|(_, c)| c)
    }

    /// Total counts of one theme.
    pub fn theme_total(&self, theme: &str) -> Option<&Counts> {
        self.by_theme
            .iter()
            .find(|row| row.theme.as_str() == theme)
            .map(|row| &row.total)
    }
}

/// Counts the ratings of every requirement of `model`. Ratings of ids the model does not
/// know are ignored.
pub fn count(model: &Model, ratings: &Ratings) -> CountTables {
    let rating_of = |id: &str| ratings.get(id).map(|r| r.rating);
    let by_level: Vec<(LevelId, Counts)> = model
        .levels()
        .iter()
        .map(|level| {
            let mut c = Counts::default();
            for req in model.requirements_at(&level.id) {
                c.add(rating_of(req.id.as_str()));
            }
            (level.id.clone(), c)
        })
        .collect();
    let mut total = Counts::default();
    for (_, c) in &by_level {
        total.merge(c);
    }
    let by_theme = model
        .themes()
        .iter()
        .map(|theme| {
            let per_level: Vec<(LevelId, Counts)> = model
                .levels()
                .iter()
                .map(|level| {
                    let mut c = Counts::default();
                    for req in model
                        .requirements_in(&theme.id)
                        .filter(|r| r.level == level.id)
                    {
                        c.add(rating_of(req.id.as_str()));
                    }
                    (level.id.clone(), c)
                })
                .collect();
            let mut t = Counts::default();
            for (_, c) in &per_level {
                t.merge(c);
            }
            ThemeRow {
                theme: theme.id.clone(),
                per_level,
                total: t,
            }
        })
        .collect();
    CountTables {
        by_level,
        total,
        by_theme,
    }
}
