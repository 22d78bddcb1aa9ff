//! Amounts in messages: øre as Danish and English kroner.

use niveau_model::Msg;

/// `ore` as `12.500 kr.` / `DKK 12,500` (with øre when there are any).
pub fn kroner(ore: i64) -> Msg {
    let (kr, rest) = (ore / 100, (ore % 100).abs());
    let group = |sep: char| {
        let digits = kr.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    let sign = if ore < 0 { "-" } else { "" };
    if rest == 0 {
        Msg::new(
            format!("{sign}{} kr.", group('.')),
            format!("DKK {sign}{}", group(',')),
        )
    } else {
        Msg::new(
            format!("{sign}{},{rest:02} kr.", group('.')),
            format!("DKK {sign}{}.{rest:02}", group(',')),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kroner_in_both_languages() {
        assert_eq!(kroner(15_000_000).da, "150.000 kr.");
        assert_eq!(kroner(15_000_000).en, "DKK 150,000");
        assert_eq!(kroner(1_250_050).da, "12.500,50 kr.");
        assert_eq!(kroner(5).en, "DKK 0.05");
    }
}
