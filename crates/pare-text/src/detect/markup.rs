//! What a page's markup says of a line, for the detector's markup features: the evidence an
//! HTML page gives beside its text (read by [`crate::html`]). Text read from a plain file has
//! none, and its markup features stay zero.

use super::features::{Features, LINK_SHARE, PARAGRAPH};

/// What the markup says of one line of a page's text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineMarkup {
    /// The share of the line's text inside links (`<a>`), 0 to 1.
    pub link_share: f32,
    /// The line's text starts inside a paragraph (`<p>`).
    pub paragraph: bool,
}

impl LineMarkup {
    /// Writes this evidence into a line's markup features.
    pub fn set_features(&self, features: &mut Features) {
        features[LINK_SHARE] = self.link_share;
        features[PARAGRAPH] = f32::from(u8::from(self.paragraph));
    }
}
