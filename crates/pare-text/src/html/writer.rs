//! Writing a page's text as the walk meets it: the lines and paragraphs its elements ask for,
//! text collapsed to single spaces within a line, and per line what its markup says of it.

use crate::detect::markup::LineMarkup;
use crate::normalize::normalize_line;

/// Elements that start and end a line.
const LINE_BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "br",
    "dd",
    "details",
    "div",
    "dt",
    "fieldset",
    "figcaption",
    "footer",
    "form",
    "header",
    "hr",
    "legend",
    "li",
    "main",
    "nav",
    "section",
    "summary",
    "table",
    "tr",
    "caption",
];

/// Elements that start and end a paragraph (a blank line around them).
const PARAGRAPH_BLOCKS: &[&str] = &[
    "blockquote",
    "dl",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ol",
    "p",
    "pre",
    "ul",
];

/// Table cells: a space between them, on the row's line.
const CELLS: &[&str] = &["td", "th"];

/// Where a piece of text stands on the page.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Place {
    /// The innermost region element around it.
    pub region: Option<usize>,
    pub link: bool,
    pub paragraph: bool,
}

/// The page's text as it is written: lines and paragraphs asked for by the elements, text
/// collapsed to single spaces within a line.
#[derive(Default)]
pub(super) struct Writer {
    /// Lines written, each with the region element its first text stood in and its markup.
    lines: Vec<(String, Option<usize>, LineMarkup)>,
    /// The line being written.
    line: String,
    /// Where the line's first text stood.
    start: Place,
    /// Bytes of the line's text, and of its text inside links.
    bytes: usize,
    link_bytes: usize,
    /// Blank lines asked for before the next text (0: none, 1: a line break, 2: a paragraph).
    breaks: u8,
}

impl Writer {
    pub fn text(&mut self, text: &str, place: Place) {
        if text.trim().is_empty() {
            if !self.line.is_empty() && !text.is_empty() {
                self.line.push(' ');
            }
            return;
        }
        if self.breaks > 0 {
            self.end_line();
            if self.breaks >= 2 && self.lines.last().is_some_and(|(last, ..)| !last.is_empty()) {
                self.lines.push((String::new(), None, LineMarkup::default()));
            }
            self.breaks = 0;
        }
        if self.line.is_empty() {
            self.start = place;
        }
        self.line.push_str(text);
        self.bytes += text.len();
        if place.link {
            self.link_bytes += text.len();
        }
    }

    /// An element `name` starts or ends: the break (or the cell's space) it asks for.
    pub fn element_edge(&mut self, name: &str) {
        if PARAGRAPH_BLOCKS.contains(&name) {
            self.paragraph();
        } else if LINE_BLOCKS.contains(&name) {
            self.breaks = self.breaks.max(1);
        } else if CELLS.contains(&name) && !self.line.is_empty() {
            self.line.push(' ');
        }
    }

    pub fn paragraph(&mut self) {
        self.breaks = 2;
    }

    /// Ends the line being written, keeping it if it holds text.
    fn end_line(&mut self) {
        let line = normalize_line(&self.line.replace('\n', " "));
        self.line.clear();
        let markup = LineMarkup {
            link_share: self.link_bytes as f32 / self.bytes.max(1) as f32,
            paragraph: self.start.paragraph,
        };
        (self.bytes, self.link_bytes) = (0, 0);
        if !line.is_empty() {
            self.lines.push((line, self.start.region, markup));
        }
    }

    /// The page's text, and per line the region element its first text stood in and its
    /// markup.
    pub fn finish(mut self) -> (String, Vec<Option<usize>>, Vec<LineMarkup>) {
        self.end_line();
        while self.lines.last().is_some_and(|(line, ..)| line.is_empty()) {
            self.lines.pop();
        }
        let mut text = String::new();
        let mut regions = Vec::with_capacity(self.lines.len());
        let mut markup = Vec::with_capacity(self.lines.len());
        for (line, region, line_markup) in self.lines {
            text.push_str(&line);
            text.push('\n');
            regions.push(region);
            markup.push(line_markup);
        }
        (text, regions, markup)
    }
}
