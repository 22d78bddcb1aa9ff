//! Amounts in messages: øre as Danish and English kroner, through the one formatter that
//! every writer uses (`niveau_report::amount::format_dkk`).

use niveau_model::Msg;
use niveau_report::amount::format_dkk;
use niveau_report::lang::Lang;

/// `ore` as `12.500 kr.` / `DKK 12,500` (with øre when there are any).
pub fn kroner(ore: i64) -> Msg {
    Msg::new(format_dkk(ore, Lang::Da), format_dkk(ore, Lang::En))
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
