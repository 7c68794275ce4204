//! Properties of cleaning that must hold for every input: no panic, idempotence, output that
//! is only ever a selection of the normalised input's lines, and JSONL records whose other
//! fields come out unchanged. Inputs the fuzzers once broke are replayed from
//! `tests/regressions/<target>/`.

mod invariants;

use invariants::{check_cleaning, check_html, check_record, check_removals, cleaner, is_selection_of};
use pare::{normalize, RemovalKind};
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

/// Lines a scraped page is made of: menus and links around paragraphs of several lengths.
const PAGE_LINES: &[&str] = &[
    "Home", "World", "Sport", "Business | Tech | Science", "Log in", "Subscribe", "Most read",
    "November 19, 2019 at 8:40 AM", "By Jane Doe", "© 2019 Example Media", "Read more »",
    "Related stories", "Mehr zum Thema", "About Jane Doe", "Leave a Reply",
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

/// A JSONL line made of arbitrary fields around a `text` field of scraped text.
fn record_line() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        Just("id".to_string()),
        Just("url".to_string()),
        Just("text".to_string()),
        "[a-z\\\\\"]{0,6}",
    ];
    let value = prop_oneof![
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("1.50".to_string()),
        Just("\"caf\\u00e9 \\ud83d\\ude00\"".to_string()),
        Just("null".to_string()),
        Just("{\"text\":\"nested\"}".to_string()),
        Just("[1, \"two\", {}]".to_string()),
    ];
    (
        scraped_text(),
        prop::collection::vec((key, value), 0..5),
        0..6usize,
        prop::sample::select(vec!["", " ", "\t", "\r"]),
    )
        .prop_map(|(text, fields, at, space)| {
            let mut members: Vec<String> = fields
                .into_iter()
                .map(|(key, value)| format!("{}:{space}{value}", serde_json::to_string(&key).unwrap()))
                .collect();
            let text = format!("\"text\":{space}{}", serde_json::to_string(&text).unwrap());
            members.insert(at.min(members.len()), text);
            format!("{{{space}{}}}", members.join(&format!(",{space}"))).into_bytes()
        })
}

/// Arbitrary bytes that mostly hold no NUL (which makes an input binary, so it is skipped before
/// cleaning): every byte value occurs, NUL rarely.
fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![64 => 1u8..=255, 1 => any::<u8>()];
    let raw = prop::collection::vec(byte, 0..2000);
    let text_with_noise = (
        scraped_text(),
        prop::collection::vec(any::<u8>(), 0..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(text, noise, at)| {
            let mut bytes = text.replace('\0', "").into_bytes();
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, noise.into_iter().filter(|&byte| byte != 0));
            bytes
        });
    prop_oneof![raw, text_with_noise]
}

#[test]
fn arbitrary_bytes_mostly_reach_the_cleaner() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = arbitrary_bytes();
    let samples = 1000;
    let cleaned = (0..samples)
        .filter(|_| {
            let bytes = strategy.new_tree(&mut runner).unwrap().current();
            matches!(
                pare::input::decode::decode(&bytes, true),
                Ok(pare::input::decode::Decoded::Text(_))
            )
        })
        .count();
    assert!(
        cleaned * 10 >= samples * 9,
        "only {cleaned} of {samples} samples are text"
    );
}

#[test]
fn inputs_the_fuzzers_once_broke_stay_fixed() {
    // One folder per fuzz target that has ever failed, named after it; a target gets a folder
    // with its first failing input.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut replayed = 0;
    for folder in std::fs::read_dir(&root).unwrap() {
        let folder = folder.unwrap().path();
        let target = folder.file_name().unwrap().to_string_lossy().into_owned();
        let check = match target.as_str() {
            "clean" => check_cleaning as fn(&[u8]) -> Result<(), String>,
            "jsonl_record" => check_record,
            "html" => check_html,
            other => panic!("{}: no fuzz target is named {other}", folder.display()),
        };
        let mut in_folder = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if let Err(err) = check(&bytes) {
                panic!("{}: {err}", path.display());
            }
            in_folder += 1;
        }
        assert!(in_folder > 0, "{} holds no input", folder.display());
        replayed += in_folder;
    }
    assert!(
        replayed > 0,
        "no regression inputs found under {}",
        root.display()
    );
}

/// Pieces of HTML pages: tags that open and close lines, regions, skipped and hidden elements,
/// broken and unclosed markup, character set declarations, entities.
const HTML_PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<nav>",
    "</nav>",
    "<aside>",
    "</aside>",
    "<article>",
    "</article>",
    "<h1>",
    "</h1>",
    "<li>",
    "<ul>",
    "</ul>",
    "<table><tr><td>",
    "</td><td>",
    "<script>",
    "</script>",
    "<style>",
    "<title>",
    "</title>",
    "<div hidden>",
    "<p style=\"display:none\">",
    "<!--",
    "-->",
    "<meta charset=\"windows-1252\">",
    "<meta charset=utf-16>",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "<",
    ">",
    "<b",
    "</",
    "The council met on Tuesday.",
    "Share",
    "Home",
    "\n",
    " ",
    "\u{FEFF}",
];

fn html_page() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::sample::select(HTML_PIECES).prop_map(|piece| piece.as_bytes().to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..8),
        ],
        0..60,
    )
    .prop_map(|pieces| pieces.concat())
}

/// A small corpus of distinct pages drawn from a few chrome lines and body sentences, each page
/// given a site and the parts (0..4) it is learned in: one, or two when it is met twice (the
/// same document on two machines).
fn corpus_in_parts() -> impl Strategy<Value = Vec<(usize, Vec<usize>, String)>> {
    const CHROME: &[&str] = &[
        "Menu",
        "Share this",
        "Home | News | Sport",
        "Contact us",
        "Read more",
        "Comments",
    ];
    let page = (
        0..2usize,
        prop::collection::btree_set(0..4usize, 1..3),
        prop::collection::vec(0..CHROME.len(), 0..5),
        1..4usize,
        prop::collection::vec(0..CHROME.len(), 0..4),
    );
    prop::collection::vec(page, 1..40).prop_map(|pages| {
        (pages.into_iter().enumerate())
            .map(|(index, (site, parts, top, paragraphs, bottom))| {
                let mut lines: Vec<String> = top.iter().map(|&c| CHROME[c].to_string()).collect();
                for p in 0..paragraphs {
                    lines.push(format!(
                        "The council met on day {index} to discuss item {p} of the plan for the new bridge."
                    ));
                }
                lines.extend(bottom.iter().map(|&c| CHROME[c].to_string()));
                (site, parts.into_iter().collect(), lines.join("\n") + "\n")
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in arbitrary_bytes()) {
        check_cleaning(&bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn html_pages_are_read_into_text_that_cleans_like_text(page in html_page()) {
        check_html(&page).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn jsonl_records_change_only_their_text(line in record_line()) {
        check_record(&line).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn arbitrary_bytes_as_records_never_panic(line in prop::collection::vec(any::<u8>(), 0..300)) {
        check_record(&line).map_err(TestCaseError::fail)?;
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
        check_removals(&cleaner().clean(&text)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn every_removal_on_a_page_points_at_text_that_is_gone(text in scraped_page()) {
        check_removals(&cleaner().clean(&text)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn normalising_is_idempotent(text in scraped_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn learning_parts_and_merging_equals_learning_the_whole(pages in corpus_in_parts()) {
        use pare::text::learn::{Counts, Thresholds};
        let mut whole = Counts { compact: true, ..Counts::default() };
        // The first part is learned compactly, as `pare learn PART --merge OTHERS` learns its own.
        let mut parts: Vec<Counts> = (0..4).map(|part| Counts { compact: part == 0, ..Counts::default() }).collect();
        for (index, (site, in_parts, text)) in pages.iter().enumerate() {
            let group = format!("site{site}");
            whole.add_document(&group, &format!("{index:03}"), text);
            for part in in_parts {
                parts[*part].add_document(&group, &format!("{index:03}"), text);
            }
        }
        let mut parts = parts.into_iter();
        let mut merged = parts.next().expect("four parts");
        for part in parts {
            merged.merge(part);
        }
        let thresholds = Thresholds { min_docs: 2, ..Thresholds::default() };
        whole.prune();
        merged.prune();
        prop_assert_eq!(merged.profile(thresholds, None, None), whole.profile(thresholds, None, None));
    }
}
