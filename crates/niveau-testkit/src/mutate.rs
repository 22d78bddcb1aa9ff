//! Line-level damage to a valid document, for property tests that feed parsers with
//! almost-right input: delete, duplicate, truncate, insert, swap lines, or replace a
//! byte with a character that matters to the syntax.

use proptest::prelude::*;

/// One change to a text.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Remove a line.
    Delete(usize),
    /// Repeat a line.
    Duplicate(usize),
    /// Cut a line short.
    Truncate(usize, usize),
    /// Insert a line.
    Insert(usize, String),
    /// Swap two lines.
    Swap(usize, usize),
    /// Replace one character of a line by one of `SYNTAX`.
    Replace(usize, u8),
}

/// Characters that matter to TOML and Markdown tables.
pub const SYNTAX: &[u8] = b"=\"[]{},.#\n x0|`<>\\";

/// Applies the mutations in order; indices wrap around the current number of lines.
pub fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match m {
            Mutation::Delete(i) => {
                lines.remove(i % n);
            }
            Mutation::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::Truncate(i, at) => {
                let l = &mut lines[i % n];
                let mut cut = at % (l.len() + 1);
                while !l.is_char_boundary(cut) {
                    cut -= 1;
                }
                l.truncate(cut);
            }
            Mutation::Insert(i, s) => lines.insert(i % (n + 1), s.clone()),
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::Replace(i, b) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                if !chars.is_empty() {
                    let k = (*b as usize) % chars.len();
                    let c = char::from(SYNTAX[(*b as usize) % SYNTAX.len()]);
                    *l = chars
                        .iter()
                        .enumerate()
                        .map(|(j, &x)| if j == k { c } else { x })
                        .collect();
                }
            }
        }
    }
    lines.join("\n")
}

/// Any mutation; inserted lines come from `fragment`.
pub fn mutation(
    fragment: impl Strategy<Value = String> + 'static,
) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Truncate(a, b)),
        (any::<usize>(), fragment).prop_map(|(a, s)| Mutation::Insert(a, s)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_change_lines() {
        let t = "a\nb\nc";
        assert_eq!(apply(t, &[Mutation::Delete(1)]), "a\nc");
        assert_eq!(apply(t, &[Mutation::Duplicate(0)]), "a\na\nb\nc");
        assert_eq!(apply("abc", &[Mutation::Truncate(0, 2)]), "ab");
        assert_eq!(apply(t, &[Mutation::Insert(3, "d".into())]), "a\nb\nc\nd");
        assert_eq!(apply(t, &[Mutation::Swap(0, 2)]), "c\nb\na");
        assert_eq!(apply("ab", &[Mutation::Replace(0, 0)]), "=b");
        assert_eq!(apply("øø", &[Mutation::Truncate(0, 1)]), "");
    }
}
