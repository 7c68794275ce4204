//! Properties of cleaning that must hold for every input: no panic, idempotence, and output
//! that is only ever a selection of the normalised input's lines.

use pare::decode::{decode, Decoded};
use pare::detect::DetectMode;
use pare::{normalize, Cleaner, RemovalKind, RuleSet};
use proptest::prelude::*;

/// Pieces that scraped pages are made of: chrome, body sentences, and awkward whitespace.
const PIECES: &[&str] = &[
    "Share",
    "Share this article",
    "Advertisement",
    "More about",
    "TIP US OFF",
    "Send us news",
    "Other stories you might like",
    "This article is more than 2 years old",
    "Skip to content",
    "Menu",
    "Accept all cookies",
    "We use cookies on this site.",
    "Related articles",
    "The council met on Tuesday.",
    "It rained, and the river rose.",
    "Prices fell by 3%.",
    "More about the plan later.",
    "Body text ®",
    " ®",
    "®",
    "\u{A0}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{AD}",
    "\t",
    "  ",
    "\r\n",
    "\r",
    "\n",
    "\n\n\n",
    "e\u{301}",
    "کتاب\u{200C}خانه",
    "山区小学",
    "\u{3000}",
    "\u{7}",
    "\u{2028}",
];

fn scraped_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..40,
    )
    .prop_map(|pieces| pieces.concat())
}

/// Default rules plus every built-in profile and the body detector, built once for all cases.
/// Lines a scraped page is made of: menus and links around paragraphs of several lengths.
const PAGE_LINES: &[&str] = &[
    "Home", "World", "Sport", "Business | Tech | Science", "Log in", "Subscribe", "Most read",
    "November 19, 2019 at 8:40 AM", "By Jane Doe", "© 2019 Example Media", "Read more »",
    "The committee voted on Tuesday to approve the plan, which will take effect next spring.",
    "Residents who spoke at the meeting said they had waited years for the change, and many were relieved.",
    "It is not clear how the scheme will be paid for, but officials said the money would be found.",
    "\"We are delighted,\" the chair said.",
    "The first phase begins in March.",
    "Critics argued that the consultation had been too short and that the costs were understated by at least a third.",
    "",
];

fn scraped_page() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PAGE_LINES), 0..80).prop_map(|lines| lines.join("\n"))
}

fn cleaner() -> &'static Cleaner {
    static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut rules = RuleSet::default_rules();
        for profile in ["theregister", "guardian", "bbc", "apnews"] {
            rules.extend(RuleSet::builtin(profile).unwrap());
        }
        Cleaner::new(rules).with_detect(DetectMode::Standard)
    })
}

/// True when every output line is a normalised input line, in order; the last output line may
/// instead be a prefix of one (an end mark was stripped from it).
fn is_selection_of(output: &str, normalized: &str) -> bool {
    let mut input = normalized.lines().filter(|line| !line.is_empty());
    let kept: Vec<&str> = output.lines().filter(|line| !line.is_empty()).collect();
    kept.iter().enumerate().all(|(index, kept_line)| {
        let last = index + 1 == kept.len();
        input.any(|line| line == *kept_line || (last && line.starts_with(kept_line)))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let cleaner = cleaner();
        if let Ok(Decoded::Text(text)) = decode(&bytes, true) {
            let _ = cleaner.clean(&text);
        }
        let _ = decode(&bytes, false);
    }

    #[test]
    fn cleaning_is_idempotent(text in scraped_text()) {
        let cleaner = cleaner();
        let once = cleaner.clean(&text);
        let twice = cleaner.clean(once.text());
        prop_assert_eq!(twice.text(), once.text());
        prop_assert!(twice.removals().is_empty());
    }

    #[test]
    fn cleaning_pages_is_idempotent(text in scraped_page()) {
        let cleaner = cleaner();
        let once = cleaner.clean(&text);
        let twice = cleaner.clean(once.text());
        prop_assert_eq!(twice.text(), once.text());
        prop_assert!(is_selection_of(once.text(), once.normalized()));
        let lines: Vec<&str> = once.normalized().lines().collect();
        for removal in once.removals().iter().filter(|r| r.kind == RemovalKind::Line) {
            prop_assert_eq!(once.removed_text(removal), lines[removal.line - 1]);
        }
    }

    #[test]
    fn output_is_a_selection_of_normalised_input_lines(text in scraped_text()) {
        let cleaned = cleaner().clean(&text);
        prop_assert!(is_selection_of(cleaned.text(), cleaned.normalized()));
        prop_assert!(cleaned.text().is_empty() || cleaned.text().ends_with('\n'));
        prop_assert!(!cleaned.text().contains("\n\n\n"));
    }

    #[test]
    fn every_removal_points_at_text_that_is_gone(text in scraped_text()) {
        let cleaned = cleaner().clean(&text);
        for removal in cleaned.removals() {
            let removed = cleaned.removed_text(removal);
            prop_assert!(!removed.is_empty());
            prop_assert!(!removed.contains('\n'));
        }
    }

    #[test]
    fn normalising_is_idempotent(text in scraped_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }
}
