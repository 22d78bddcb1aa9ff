//! Amounts as people read them. Every writer of an amount — the report crate's
//! `format_dkk`, the portfolio rules' evidence labels, the web pages — goes through these
//! two functions, so an amount reads the same in a message, a page and an export.

/// The digits of `n` in groups of three, separated by `sep`.
fn grouped(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Sign, whole kroner and øre of an amount in øre.
fn split(ore: i64) -> (&'static str, u64, u64) {
    let abs = ore.unsigned_abs();
    (if ore < 0 { "-" } else { "" }, abs / 100, abs % 100)
}

/// An amount in øre in Danish: `12.500 kr.`, `12.500,50 kr.` (øre only when there are any).
pub fn kroner_da(ore: i64) -> String {
    let (sign, kr, rest) = split(ore);
    let k = grouped(kr, '.');
    if rest == 0 {
        format!("{sign}{k} kr.")
    } else {
        format!("{sign}{k},{rest:02} kr.")
    }
}

/// An amount in øre in English: `DKK 12,500`, `DKK 12,500.50`.
pub fn kroner_en(ore: i64) -> String {
    let (sign, kr, rest) = split(ore);
    let k = grouped(kr, ',');
    if rest == 0 {
        format!("DKK {sign}{k}")
    } else {
        format!("DKK {sign}{k}.{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_both_languages() {
        assert_eq!(kroner_da(0), "0 kr.");
        assert_eq!(kroner_da(1_250_050), "12.500,50 kr.");
        assert_eq!(kroner_da(-500), "-5 kr.");
        assert_eq!(kroner_da(i64::MIN), "-92.233.720.368.547.758,08 kr.");
        assert_eq!(kroner_en(15_000_050), "DKK 150,000.50");
        assert_eq!(kroner_en(5), "DKK 0.05");
    }
}
