//! The captions of a numbered photo gallery set in an article: "1 of 4 A shopper looks at...",
//! "2 of 4 ...". One such line could open a sentence ("3 of 5 voters said..."); two that count
//! the same gallery cannot.

use std::sync::LazyLock;

use regex::Regex;

/// A caption's count at the start of its line, before a capital: "2 of 4 A shopper".
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}) of (\d{1,2}) \p{Lu}").expect("the caption count pattern compiles")
});

/// The lines (by their place among `lines`) that are captions of a gallery: lines numbered "N
/// of M" where another line counts the same M with another N.
pub(super) fn gallery_captions<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let numbered: Vec<(usize, u32, u32)> = (lines.enumerate())
        .filter_map(|(i, line)| {
            // Most lines do not start with a digit: no need to run the pattern on them.
            line.as_bytes().first().filter(|byte| byte.is_ascii_digit())?;
            let count = NUMBERED.captures(line)?;
            let number = count[1].parse().ok()?;
            let of = count[2].parse().ok()?;
            (1..=of).contains(&number).then_some((i, number, of))
        })
        .collect();
    (numbered.iter())
        .filter(|&&(_, number, of)| {
            (numbered.iter()).any(|&(_, other, other_of)| other_of == of && other != number)
        })
        .map(|&(i, ..)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_lines_counting_one_gallery_are_captions_and_one_alone_is_not() {
        let lines = [
            "1 of 3 A crowd gathers at the quay.",
            "The ferry was late again.",
            "3 of 3 The harbour master speaks to reporters.",
            "3 of 5 Voters said they would back the plan.",
            "2 of 3 weeks went by.",
        ];
        assert_eq!(gallery_captions(lines.iter().copied()), [0, 2]);
        assert!(gallery_captions(lines[3..].iter().copied()).is_empty());
    }
}
