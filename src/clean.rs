//! The cleaning function itself: normalise, then strip by rules. This is the library's entry
//! point for other Rust programs; it never touches files and never prints.

use crate::normalize::normalize;
use crate::rules::RuleSet;
use crate::strip::{strip, Removal};

/// Cleans documents with one compiled rule set. Build it once and share it across threads.
///
/// ```
/// let cleaner = pare::Cleaner::new(pare::RuleSet::default_rules());
/// let cleaned = cleaner.clean("Share\r\nThe body of the story.\u{A0}\r\n\r\n\r\nTIP US OFF\r\n");
/// assert_eq!(cleaned.text(), "The body of the story.\n");
/// let rules: Vec<&str> = cleaned.removals().iter().map(|r| &*r.rule).collect();
/// assert_eq!(rules, ["share-buttons", "register-tip-off"]);
/// ```
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: RuleSet,
}

impl Cleaner {
    /// A cleaner that applies `rules` after normalisation.
    pub fn new(rules: RuleSet) -> Cleaner {
        Cleaner { rules }
    }

    /// The rules this cleaner applies.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        let normalized = normalize(text);
        let (text, removals) = strip(&self.rules, &normalized);
        Cleaned {
            normalized,
            text,
            removals,
        }
    }
}

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned {
    normalized: String,
    text: String,
    removals: Vec<Removal>,
}

impl Cleaned {
    /// The clean text: normalised, chrome removed, ending in one newline (or empty).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Consumes the result, returning the clean text.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The input after normalisation only; removal spans point into it.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// What was removed and by which rule, in line order.
    pub fn removals(&self) -> &[Removal] {
        &self.removals
    }

    /// The text a removal took out.
    pub fn removed_text(&self, removal: &Removal) -> &str {
        &self.normalized[removal.span.clone()]
    }
}
