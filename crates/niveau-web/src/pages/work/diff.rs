//! What differs between two versions of a self-evaluation's answers: for the version
//! history and for a save conflict (the version saved meanwhile beside one's own).

use niveau_model::{Answer, AnswerValue, Model};
use niveau_report::Lang;

/// One requirement whose answer, documentation or evidence differs.
pub struct AnswerDiff {
    /// The requirement.
    pub id: String,
    /// The answer in the first version.
    pub before_answer: String,
    /// The answer in the second version.
    pub after_answer: String,
    /// Documentation and evidence links in the first version.
    pub before_text: String,
    /// Documentation and evidence links in the second version.
    pub after_text: String,
}

fn answer_label(answer: Option<&Answer>, lang: Lang) -> String {
    match answer.map(|a| &a.value) {
        None | Some(AnswerValue::Unanswered) => {
            lang.pick("(ikke besvaret)", "(not answered)").into()
        }
        Some(v) => lang.pick(v.label_da(), v.label_en()).to_owned(),
    }
}

fn text_of(answer: Option<&Answer>) -> String {
    let Some(a) = answer else {
        return String::new();
    };
    let mut parts: Vec<String> = a
        .documentation
        .iter()
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    parts.extend(a.evidence.iter().cloned());
    parts.join("\n")
}

/// The requirements of `model` whose answer or text differs between `before` and
/// `after`, in the model's order.
pub fn answers(model: &Model, before: &[Answer], after: &[Answer], lang: Lang) -> Vec<AnswerDiff> {
    let find = |list: &'_ [Answer], id: &str| -> Option<Answer> {
        list.iter()
            .find(|a| {
                model
                    .requirement(a.requirement.as_str())
                    .is_some_and(|r| r.id.as_str() == id)
            })
            .cloned()
    };
    model
        .requirements()
        .iter()
        .filter_map(|r| {
            let b = find(before, r.id.as_str());
            let a = find(after, r.id.as_str());
            let diff = AnswerDiff {
                id: r.id.to_string(),
                before_answer: answer_label(b.as_ref(), lang),
                after_answer: answer_label(a.as_ref(), lang),
                before_text: text_of(b.as_ref()),
                after_text: text_of(a.as_ref()),
            };
            (diff.before_answer != diff.after_answer || diff.before_text != diff.after_text)
                .then_some(diff)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_requirements_are_listed() {
        let reg = niveau_model::Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let mut r1 = Answer::new("R1", AnswerValue::Yes);
        r1.documentation = Some("Se strategien".into());
        let before = vec![r1.clone(), Answer::new("F7", AnswerValue::No)];
        let mut r1b = r1.clone();
        r1b.evidence = vec!["https://os2.eu/strategi".into()];
        let after = vec![
            r1b,
            Answer::new("F7", AnswerValue::No),
            Answer::new("G6", AnswerValue::Planned),
        ];
        let d = answers(model, &before, &after, Lang::Da);
        let ids: Vec<&str> = d.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["R1", "G6"]);
        assert_eq!(d[0].before_text, "Se strategien");
        assert_eq!(d[0].after_text, "Se strategien\nhttps://os2.eu/strategi");
        assert_eq!(d[1].before_answer, "(ikke besvaret)");
        assert_eq!(d[1].after_answer, "Planlagt");
        assert!(answers(model, &after, &after, Lang::En).is_empty());
    }
}
