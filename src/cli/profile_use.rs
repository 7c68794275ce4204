//! Warnings about how a profile given with `--profile-file` meets the inputs: groups that match
//! none of them, and groups keyed another way than the inputs are.

use pare::input::list::InputList;
use pare::run::document::file_group;
use pare::run::options::Options;
use pare::text::rules::KeyedBy;
use pare::Cleaner;

use super::learn::keyed_by;

/// Warns when a profile's groups match none of the text files to clean: its group rules would
/// apply to nothing. (JSONL records are grouped by the host of their URL, known only once read.)
pub(super) fn warn_of_unmatched_groups(cleaner: &Cleaner, inputs: &InputList, options: &Options) {
    let reading = &options.reading;
    let names = cleaner.group_names();
    if names.is_empty() || inputs.is_empty() || inputs.iter().any(|input| reading.format.is_jsonl(&input)) {
        return;
    }
    let matched =
        (inputs.iter()).any(|input| cleaner.has_group(&file_group(cleaner, &input, reading.group_by)));
    if !matched {
        let shown: Vec<&str> = names.iter().take(5).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        eprintln!(
            "pare: warning: the profile's groups ({}{more}) match none of the {} input file(s): \
             a file's group is a folder on its path named like one",
            shown.join(", "),
            inputs.len()
        );
    }
}

/// Warns when the profile's groups are keyed by host and the inputs are grouped by folder, or
/// the other way round: its group rules then apply only where the two happen to share a name.
pub(super) fn warn_of_other_keys(profile: Option<KeyedBy>, inputs: &InputList, options: &Options) {
    let here = keyed_by(&options.reading, inputs);
    let (Some(profile), Some(here)) = (profile, here) else {
        return;
    };
    if profile == here {
        return;
    }
    let (learned, given) = match profile {
        KeyedBy::Host => (
            "by the host of JSONL records' URLs",
            "text files, grouped by folder",
        ),
        KeyedBy::Folder => ("by folder", "JSONL records, grouped by the host of their URL"),
    };
    eprintln!(
        "pare: warning: the profile's groups are keyed {learned}, but these inputs are {given}: \
         its group rules apply only where a name happens to match"
    );
}
