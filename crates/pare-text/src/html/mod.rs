//! Reading an HTML page into the text pare cleans, with what the markup says about each line.
//!
//! The bytes are decoded by the character set a byte-order mark, the bytes themselves when
//! they are UTF-8 that is not all ASCII, a `<meta>` tag, or a detector names (in that order),
//! parsed as a browser would (`html5ever`, through `dom_query`), and walked once: the
//! `<title>` becomes the first line (evidence for the cleaner, removed as
//! [`Region::Title`]); block elements, `<br>`, list items and table rows start new lines and
//! paragraphs, headings and lists new paragraphs; scripts, styles, templates, forms' controls
//! and hidden elements give no text. The text is already normalised (see
//! [`crate::normalize()`]), so its lines are the lines the cleaner numbers.
//!
//! Each line also carries the page region it stands in when the markup names one that holds
//! no article: navigation, an aside, or an element whose class or id says it is comments,
//! related stories, a sidebar... ([`Region`]). Then readability is asked (`article`): where it
//! finds the page's article, a line outside it is [`Region::OutsideArticle`] and a line inside
//! it is in no region, whatever its tags said; unless most of that article stands in elements
//! named as comments, when readability has taken the comment thread for the article and the
//! tags stand. The cleaner removes the lines in a region, under the rule name [`RULE_NAME`].
//! (Headers, footers and forms were measured too: removing their lines lost article text on
//! some sources, so they are left to the detector; see BENCHMARKS.md.)

use std::borrow::Cow;

use dom_query::{Document, NodeData, NodeRef};

use crate::detect::markup::LineMarkup;
use crate::normalize::normalize_line;

mod article;
mod writer;

use writer::{Place, Writer};

/// Rule name recorded for lines the page's markup places outside the article.
pub const RULE_NAME: &str = "html";

/// A part of a page that its markup says is not the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// `<nav>`: menus and links to other pages.
    Navigation,
    /// `<aside>`: a sidebar or box beside the content.
    Aside,
    /// An element whose class or id names a part that is not the article: the word, one of
    /// [`CHROME_NAMES`].
    Named(&'static str),
    /// Outside the article that readability (the algorithm of Firefox's reader view) finds on
    /// the page.
    OutsideArticle,
    /// The page's `<title>`: the name the browser shows in its tab, not a line of the page.
    Title,
}

impl Region {
    /// The reason recorded for a line removed for standing in this region.
    pub fn reason(self) -> String {
        match self {
            Region::Navigation => "inside <nav>, the page's navigation".to_string(),
            Region::Aside => "inside <aside>, beside the content".to_string(),
            Region::Named(word) => format!("inside an element whose class or id says \"{word}\""),
            Region::OutsideArticle => "outside the article readability finds on the page".to_string(),
            Region::Title => "the page's <title>, which the page itself does not show".to_string(),
        }
    }
}

/// Words of an element's class or id that name a part of the page that is not the article (a
/// class or id word starting with one counts: `comments`, `related-posts`). Chosen on the six
/// training sources between two lists: the longer one (adding "share", "footer", "menu",
/// "social"...) lost article text on one of them; see BENCHMARKS.md.
pub const CHROME_NAMES: &[&str] = &[
    "comment",
    "related",
    "sidebar",
    "newsletter",
    "cookie",
    "breadcrumb",
];

/// An HTML page read into text.
#[derive(Debug, Clone, Default)]
pub struct HtmlText {
    /// The page's text: normalised, ending with a newline unless empty.
    pub text: String,
    /// Per line of `text`: the region it stands in, if its markup names one.
    pub regions: Vec<Option<Region>>,
    /// Per line of `text`: what its markup says of it, for the detector.
    pub markup: Vec<LineMarkup>,
    /// Whether the first line of `text` is the page's `<title>`.
    pub titled: bool,
    /// The name of the character set the page was decoded from.
    pub encoding: &'static str,
}

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "select", "textarea", "input", "button", "dialog",
];

/// How deep a page's elements may nest. The parser's work grows with the square of the depth
/// (each new element looks through the elements open around it), so a page nested deeper is
/// refused rather than read for minutes. Real pages stay far below: a few dozen levels.
pub const MAX_DEPTH: usize = 5_000;

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// Its elements nest deeper than [`MAX_DEPTH`].
    #[error("HTML elements nested more than {MAX_DEPTH} deep (about {0}); the page is not read")]
    TooDeep(usize),
}

/// Reads an HTML page from its bytes. Undecodable bytes become U+FFFD, and any markup, however
/// broken, gives some text (maybe none); only a page nested deeper than [`MAX_DEPTH`] is
/// refused.
pub fn read_html(bytes: &[u8]) -> Result<HtmlText, HtmlError> {
    let depth = check_depth(bytes)?;
    let (decoded, encoding) = decode_html(bytes);
    Ok(read_decoded(&decoded, encoding, depth))
}

/// [`read_html`] for a page already decoded (what a `<meta>` tag says of its bytes is moot).
pub fn read_html_str(page: &str) -> Result<HtmlText, HtmlError> {
    let depth = check_depth(page.as_bytes())?;
    Ok(read_decoded(page, encoding_rs::UTF_8, depth))
}

/// Whether most of the text readability takes for the article (the lines not `outside` it)
/// stands in elements named as comments: readability has then taken the reader comments below
/// a short post for the article, and its article is no evidence. (Counting every region the
/// tags name lost article text on articles-dev and newspaper: sites name their content boxes
/// "sidebar" or "related" too.)
fn mostly_in_comments(text: &str, regions: &[Option<Region>], outside: &[bool]) -> bool {
    let (mut inside, mut in_comments) = (0usize, 0usize);
    for ((line, region), outside) in text.lines().zip(regions).zip(outside) {
        if !outside {
            inside += line.len();
            if *region == Some(Region::Named("comment")) {
                in_comments += line.len();
            }
        }
    }
    in_comments * 2 > inside
}

/// The page's nesting depth, or the error that it is too deep.
fn check_depth(bytes: &[u8]) -> Result<usize, HtmlError> {
    let depth = nesting_depth(bytes);
    if depth > MAX_DEPTH {
        return Err(HtmlError::TooDeep(depth));
    }
    Ok(depth)
}

/// The text of a decoded page nested `depth` deep, and the regions of its lines: what its tags
/// say, then what readability says.
fn read_decoded(decoded: &str, encoding: &'static encoding_rs::Encoding, depth: usize) -> HtmlText {
    let document = parse(decoded);
    let mut writer = Writer::default();
    let title = title_of(&document);
    let titled = title.is_some();
    if let Some(title) = title {
        writer.text(&title, Place::default());
        writer.paragraph();
    }
    let mut walk = Walk::default();
    walk_page(document.root(), &mut walk, &mut writer);
    let (text, elements, markup) = writer.finish();
    let mut regions: Vec<Option<Region>> = elements.iter().map(|element| walk.region_of(*element)).collect();
    // Readability's article, when it finds one, says which lines are the article's.
    let outside = (depth <= article::MAX_ARTICLE_DEPTH)
        .then(|| article::lines_outside(document, &text, usize::from(titled)))
        .flatten()
        .filter(|outside| !mostly_in_comments(&text, &regions, outside));
    if let Some(outside) = outside {
        for (region, outside) in regions.iter_mut().zip(outside) {
            *region = outside.then_some(Region::OutsideArticle);
        }
    }
    // The title is evidence (readability's article leaves out a headline the title holds), not
    // text of the page.
    if titled {
        regions[0] = Some(Region::Title);
    }
    HtmlText {
        text,
        regions,
        markup,
        titled,
        encoding: encoding.name(),
    }
}

/// What [`read_html`] tracks of the elements as it walks the page: the region elements seen
/// (a `<nav>`, an `<aside>`...), how much text each holds and whether it holds the article, and
/// which of them are open.
#[derive(Default)]
struct Walk {
    regions: Vec<RegionElement>,
    /// Per open element, innermost last: whether it is a region element, and its kind.
    open: Vec<(bool, Option<Kind>)>,
    /// How many elements of each [`Kind`] are open.
    open_kinds: [usize; Kind::COUNT],
    /// The open region elements, innermost last: the elements text and articles count for.
    open_regions: Vec<usize>,
    /// Bytes of text on the whole page.
    text: usize,
}

/// The kinds of element whose presence around a line's text is evidence for the detector.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Link,
    Paragraph,
}

impl Kind {
    const COUNT: usize = 2;

    fn of(name: &str) -> Option<Kind> {
        match name {
            "a" => Some(Kind::Link),
            "p" => Some(Kind::Paragraph),
            _ => None,
        }
    }
}

struct RegionElement {
    region: Region,
    /// The region element it stands in, if any.
    outer: Option<usize>,
    /// Bytes of text inside it.
    text: usize,
    /// Whether an `<article>`, `<main>` or `<h1>` stands inside it.
    holds_article: bool,
}

impl Walk {
    fn open(&mut self, name: &str, chrome_name: Option<&'static str>) {
        if matches!(name, "article" | "main" | "h1") {
            for region in &self.open_regions {
                self.regions[*region].holds_article = true;
            }
        }
        let region = match name {
            "nav" => Some(Region::Navigation),
            "aside" => Some(Region::Aside),
            _ => chrome_name.map(Region::Named),
        };
        if let Some(region) = region {
            self.regions.push(RegionElement {
                region,
                outer: self.innermost_region(),
                text: 0,
                holds_article: false,
            });
            self.open_regions.push(self.regions.len() - 1);
        }
        let kind = Kind::of(name);
        if let Some(kind) = kind {
            self.open_kinds[kind as usize] += 1;
        }
        self.open.push((region.is_some(), kind));
    }

    fn close(&mut self) {
        let Some((region, kind)) = self.open.pop() else {
            return;
        };
        if region {
            self.open_regions.pop();
        }
        if let Some(kind) = kind {
            self.open_kinds[kind as usize] -= 1;
        }
    }

    /// Where text met now stands: its region element and the kinds of element around it.
    fn place(&self) -> Place {
        let inside = |kind: Kind| self.open_kinds[kind as usize] > 0;
        Place {
            region: self.innermost_region(),
            link: inside(Kind::Link),
            paragraph: inside(Kind::Paragraph),
        }
    }

    fn text(&mut self, bytes: usize) {
        self.text += bytes;
        for region in &self.open_regions {
            self.regions[*region].text += bytes;
        }
    }

    fn innermost_region(&self) -> Option<usize> {
        self.open_regions.last().copied()
    }

    /// The region a line standing in region element `element` is marked with: the innermost
    /// one around it that holds no article and at most half the page's text. An `<aside>`
    /// holding the headline, or a `<nav>` around the whole page, marks nothing.
    fn region_of(&self, mut element: Option<usize>) -> Option<Region> {
        while let Some(index) = element {
            let region = &self.regions[index];
            if !region.holds_article && region.text * 2 <= self.text {
                return Some(region.region);
            }
            element = region.outer;
        }
        None
    }
}

/// Elements that never hold others (void), or whose end tag may be left out: they do not add
/// to [`nesting_depth`], so a page of unclosed paragraphs is not counted as deep.
const FLAT: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"tbody",
    b"thead",
    b"tfoot",
    b"option",
    b"optgroup",
    b"rb",
    b"rt",
    b"rp",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"xmp", b"noscript"];

/// About how deep a page's elements nest, from its tags alone, in one pass over its bytes:
/// start tags of elements that hold others open a level, their end tags close one.
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        at += found + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"!--") {
            at += find(rest, b"-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &rest[name_start..name_start + name_len];
        let is_one_of = |names: &[&[u8]]| names.iter().any(|known| known.eq_ignore_ascii_case(name));
        let tag_end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        if closing {
            if !is_one_of(FLAT) {
                depth = depth.saturating_sub(1);
            }
        } else if is_one_of(RAW_TEXT) {
            at += end_tag_at(rest, name);
            continue;
        } else if !is_one_of(FLAT) && rest.get(tag_end.wrapping_sub(1)) != Some(&b'/') {
            depth += 1;
            deepest = deepest.max(depth);
        }
        at += tag_end.min(rest.len());
    }
    deepest
}

/// The page parsed as a browser with scripts on parses it: a `<noscript>` holds text, not
/// markup, so the image inside one in the `<head>` does not end the head there.
fn parse(page: &str) -> Document {
    use html5ever::tendril::TendrilSink;
    let options = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: true,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::parse_document(Document::default(), options).one(page)
}

/// What the walk does at a node: go into it, or not.
enum Step {
    /// An element (or the document) whose contents are read.
    Enter,
    /// Text, a comment, or an element whose contents give no text.
    Pass,
}

/// Walks the page from `root` in document order, without recursion: text goes to `writer`,
/// elements open and close in `walk` and `writer`; skipped and hidden elements are passed over
/// whole.
fn walk_page(root: NodeRef<'_>, walk: &mut Walk, writer: &mut Writer) {
    enum Visit<'a> {
        Open(NodeRef<'a>),
        Close(NodeRef<'a>),
    }
    let mut stack = vec![Visit::Open(root)];
    while let Some(visit) = stack.pop() {
        let node = match visit {
            Visit::Open(node) => node,
            Visit::Close(node) => {
                node.query(|tree_node| {
                    if let NodeData::Element(element) = &tree_node.data {
                        walk.close();
                        writer.element_edge(&element.name.local);
                    }
                });
                continue;
            }
        };
        let step = node.query(|tree_node| match &tree_node.data {
            NodeData::Text { contents } => {
                walk.text(contents.len());
                writer.text(contents, walk.place());
                Step::Pass
            }
            NodeData::Element(element) => {
                let name: &str = &element.name.local;
                if SKIPPED.contains(&name) || is_hidden(element) {
                    return Step::Pass;
                }
                walk.open(name, chrome_name(element));
                writer.element_edge(name);
                Step::Enter
            }
            NodeData::Document | NodeData::Fragment => Step::Enter,
            _ => Step::Pass,
        });
        if let Some(Step::Enter) = step {
            stack.push(Visit::Close(node));
            stack.extend(node.children_it(true).map(Visit::Open));
        }
    }
}

/// The value of an element's attribute `name` (in no namespace), if it has one.
fn attr<'a>(element: &'a dom_query::Element, name: &str) -> Option<&'a str> {
    (element.attrs.iter())
        .find(|attr| attr.name.ns.is_empty() && &*attr.name.local == name)
        .map(|attr| &*attr.value)
}

/// The word of [`CHROME_NAMES`] an element's class or id starts a word with, if any.
fn chrome_name(element: &dom_query::Element) -> Option<&'static str> {
    let names = attr(element, "class").into_iter().chain(attr(element, "id"));
    let mut words = names.flat_map(|names| names.split(|c: char| !c.is_ascii_alphanumeric()));
    words.find_map(|word| {
        let word = word.to_ascii_lowercase();
        CHROME_NAMES
            .iter()
            .copied()
            .find(|chrome| word.starts_with(chrome))
    })
}

/// Whether an element is hidden from readers: the `hidden` attribute, `aria-hidden="true"` or
/// an inline `display: none`.
fn is_hidden(element: &dom_query::Element) -> bool {
    attr(element, "hidden").is_some()
        || attr(element, "aria-hidden") == Some("true")
        || attr(element, "style").is_some_and(|style| {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            style.to_ascii_lowercase().contains("display:none")
        })
}

/// The page's `<title>`, if it has one with text.
fn title_of(document: &Document) -> Option<String> {
    let is_title = |node: &NodeRef<'_>| {
        node.query(|tree_node| matches!(&tree_node.data, NodeData::Element(element) if &*element.name.local == "title"))
            .unwrap_or(false)
    };
    let title = document.root().descendants_it().find(is_title)?;
    let line = normalize_line(&title.text().replace('\n', " "));
    (!line.is_empty()).then_some(line)
}

/// The page's text and the character set it was decoded from: the one a byte-order mark names;
/// else UTF-8 when the bytes are valid UTF-8 and not all ASCII, whatever a `<meta>` tag says
/// (a page saved again as UTF-8 often keeps its old tag, and text in another character set is
/// all but never valid UTF-8 by chance); else a `<meta>` tag's in the first 1,024 bytes; else
/// UTF-8 when the bytes are valid UTF-8; else the detector's guess. Bytes the character set
/// cannot decode become U+FFFD.
pub fn decode_html(bytes: &[u8]) -> (Cow<'_, str>, &'static encoding_rs::Encoding) {
    let bom = encoding_rs::Encoding::for_bom(bytes).map(|(encoding, _)| encoding);
    // Without a byte-order mark, the bytes themselves, when they are UTF-8.
    let utf8 = bom.is_none().then(|| std::str::from_utf8(bytes).ok()).flatten();
    let named = match utf8 {
        Some(text) if !text.is_ascii() => None,
        _ => bom.or_else(|| meta_charset(&bytes[..bytes.len().min(1024)])),
    };
    if let (None, Some(text)) = (named, utf8) {
        return (Cow::Borrowed(text), encoding_rs::UTF_8);
    }
    let encoding = named.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, used, _) = encoding.decode(bytes);
    (text, used)
}

/// The character set a `<meta charset>` or `<meta http-equiv="Content-Type">` tag names. A
/// page cannot name UTF-16 in its own bytes (they would not read as ASCII): that means UTF-8.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = find(&lower[at..], b"<meta") {
        let start = at + found;
        let end = find(&lower[start..], b">").map_or(lower.len(), |end| start + end);
        let tag = &lower[start..end];
        if let Some(charset) = find(tag, b"charset") {
            let value = tag[charset + b"charset".len()..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace() || **b == b'=' || **b == b'"' || **b == b'\'')
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .copied()
                .collect::<Vec<u8>>();
            if let Some(encoding) = encoding_rs::Encoding::for_label(&value) {
                return Some(
                    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        encoding
                    },
                );
            }
        }
        at = end;
    }
    None
}

/// Where the end tag of raw-text element `name` starts in `rest`, in any case;
/// the end of `rest` when it has none.
fn end_tag_at(rest: &[u8], name: &[u8]) -> usize {
    let mut at = 0;
    while let Some(found) = find(&rest[at..], b"</") {
        let start = at + found;
        let after = &rest[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return start;
        }
        at = start + 2;
    }
    rest.len()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn page(body: &str) -> String {
        format!("<!doctype html><html><head><title>The Gazette</title></head><body>{body}</body></html>")
    }

    #[test]
    fn blocks_become_lines_and_paragraphs() {
        let read = read_html(
            page(
                "<h1>Bridge  closes</h1><p>The council\nclosed the <b>bridge</b>.</p>\
                 <ul><li>One</li><li>Two</li></ul><div>A<br>B</div>\
                 <table><tr><td>x</td><td>y</td></tr></table>",
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            read.text,
            "The Gazette\n\nBridge closes\n\nThe council closed the bridge.\n\nOne\nTwo\n\nA\nB\nx y\n"
        );
        assert_eq!(normalize(&read.text), read.text, "already normalised");
        assert_eq!(read.regions.len(), read.text.lines().count());
        assert!(read.titled);
        let untitled = read_html(b"<p>The council closed the bridge.</p>").unwrap();
        assert_eq!(untitled.text, "The council closed the bridge.\n");
        assert!(!untitled.titled);
    }

    #[test]
    fn scripts_styles_controls_and_hidden_elements_give_no_text() {
        let read = read_html(
            page(
                "<script>var x = 1;</script><style>p {}</style><p>Kept.</p><div hidden>Gone</div>\
                 <p style=\"display: none\">Gone</p><button>Gone</button><noscript>Gone</noscript>",
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(read.text, "The Gazette\n\nKept.\n");
    }

    #[test]
    fn each_line_carries_its_link_share_and_whether_it_is_a_paragraph() {
        let read = read_html(
            page(
                "<h2>Bridge closes</h2><p>The council closed <a href=\"/b\">the bridge</a>.</p>\
                 <ul><li><a href=\"/n\">News</a></li></ul><div>A plain line</div>",
            )
            .as_bytes(),
        )
        .unwrap();
        let lines: Vec<(&str, LineMarkup)> = (read.text.lines().zip(&read.markup))
            .filter(|(line, _)| !line.is_empty())
            .map(|(line, markup)| (line, *markup))
            .collect();
        let of = |text: &str| lines.iter().find(|(line, _)| *line == text).unwrap().1;
        let heading = of("Bridge closes");
        assert!(!heading.paragraph && heading.link_share == 0.0);
        let paragraph = of("The council closed the bridge.");
        assert!(paragraph.paragraph);
        let share = "the bridge".len() as f32 / "The council closed the bridge.".len() as f32;
        assert!(
            (paragraph.link_share - share).abs() < 1e-6,
            "{}",
            paragraph.link_share
        );
        let item = of("News");
        assert!(!item.paragraph && item.link_share == 1.0);
        let plain = of("A plain line");
        assert_eq!(plain, LineMarkup::default());
        assert_eq!(read.markup.len(), read.text.lines().count());
    }

    /// The lines of a page after its title that stand in a region, with the region.
    fn marked(read: &HtmlText) -> Vec<(&str, Region)> {
        (read.text.lines().zip(&read.regions))
            .skip(usize::from(read.titled))
            .filter_map(|(line, region)| Some((line, (*region)?)))
            .collect()
    }

    #[test]
    fn navigation_and_asides_are_marked_unless_they_hold_the_article() {
        let read = read_html(
            page(
                "<header><a>Home</a></header><nav><ul><li>News</li></ul></nav>\
                 <article><h1>Headline</h1><p>The body of the article, long enough to be most of the page.</p>\
                 <aside>Related</aside></article><aside>Popular</aside><footer>Contact</footer>",
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            marked(&read),
            [
                ("News", Region::Navigation),
                ("Related", Region::Aside),
                ("Popular", Region::Aside)
            ]
        );
        // A navigation element around the whole page, or an aside holding the headline, is
        // not a region of chrome.
        let wrapped = read_html(
            page("<nav><p>A whole page of text inside one element.</p><p>Menu</p></nav>").as_bytes(),
        )
        .unwrap();
        assert_eq!(marked(&wrapped), []);
        let headline =
            read_html(page("<aside><h1>Headline</h1></aside><p>Body text of the page.</p>").as_bytes())
                .unwrap();
        assert_eq!(marked(&headline), []);
    }

    /// A paragraph of an article about the harbour ferry, on `topic`.
    fn paragraph(topic: &str) -> String {
        format!(
            "<p>The harbour ferry, back after two years of repairs, carried {topic} across the \
             bay this morning, and the crossing, the council said, took twenty minutes, as it \
             did before the hull was found to be cracked, the engines worn and the ramps unsafe.</p>"
        )
    }

    #[test]
    fn readability_s_article_decides_which_lines_are_the_article_s() {
        let body = format!(
            "<ul class=\"menu\"><li><a href=\"/\">Home</a></li><li><a href=\"/sport\">Sport</a></li></ul>\
             <div class=\"content-with-sidebar\"><h1>Harbour ferry returns</h1>{}{}{}</div>\
             <div class=\"promo\"><a href=\"/a\">Storm closes coastal road</a></div>",
            paragraph("commuters"),
            paragraph("schoolchildren"),
            paragraph("tourists"),
        );
        let html = format!(
            "<!doctype html><html><head><title>Harbour ferry returns | The Gazette</title></head>\
             <body>{body}</body></html>"
        );
        let read = read_html(html.as_bytes()).unwrap();
        let outside: Vec<&str> = (read.text.lines().zip(&read.regions))
            .filter(|(_, region)| **region == Some(Region::OutsideArticle))
            .map(|(line, _)| line)
            .collect();
        assert_eq!(outside, ["Home", "Sport", "Storm closes coastal road"]);
        assert!(
            marked(&read)
                .iter()
                .all(|(_, region)| *region == Region::OutsideArticle),
            "the article's lines lose the region their class named: {:?}",
            marked(&read)
        );
        assert_eq!(read.regions[0], Some(Region::Title));
        let headline = read.text.lines().position(|line| line == "Harbour ferry returns");
        assert_eq!(
            headline.map(|line| read.regions[line]),
            Some(None),
            "the headline stays"
        );
    }

    #[test]
    fn of_the_lines_the_title_holds_only_the_headline_stays_in_the_article() {
        let html = format!(
            "<!doctype html><html><head><title>Harbour ferry returns | Coastal Times</title></head>\
             <body><header><a href=\"/\">Coastal Times</a></header>\
             <article><h1>Harbour ferry returns</h1>{}{}{}</article></body></html>",
            paragraph("commuters"),
            paragraph("schoolchildren"),
            paragraph("tourists"),
        );
        let read = read_html(html.as_bytes()).unwrap();
        let region = |wanted: &str| {
            let line = read.text.lines().position(|line| line == wanted);
            line.map(|line| read.regions[line])
        };
        assert_eq!(
            region("Harbour ferry returns | Coastal Times"),
            Some(Some(Region::Title))
        );
        assert_eq!(region("Harbour ferry returns"), Some(None), "the headline stays");
        assert_eq!(
            region("Coastal Times"),
            Some(Some(Region::OutsideArticle)),
            "the site's name, held by the title too, is no headline"
        );
    }

    #[test]
    fn readability_is_not_asked_about_pages_too_large_or_too_deep_for_it() {
        let article = "<p>The harbour ferry, back after two years of repairs, carried commuters \
                       across the bay, and the crossing, the council said, took twenty minutes.</p>"
            .repeat(4);
        let menu = "<ul><li><a href=\"/\">Home</a></li><li><a href=\"/sport\">Sport</a></li></ul>";
        let outside = |body: String| {
            let read = read_html(page(&body).as_bytes()).unwrap();
            read.regions.contains(&Some(Region::OutsideArticle))
        };
        assert!(
            outside(format!("{menu}<div>{article}</div>")),
            "an ordinary page is asked"
        );
        let many = "<span></span>".repeat(12_500);
        assert!(
            !outside(format!("{menu}<div>{article}</div>{many}")),
            "too many elements"
        );
        // At the depth limit readability runs, in a test thread's small stack; past it, not.
        let nested = |depth: usize| {
            format!(
                "{menu}{}{article}{}",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        assert!(outside(nested(article::MAX_ARTICLE_DEPTH - 10)));
        assert!(!outside(nested(article::MAX_ARTICLE_DEPTH + 10)));
    }

    #[test]
    fn elements_named_as_comments_or_related_stories_are_marked() {
        let read = read_html(
            page(
                "<div class=\"post-body\"><p>The article, long enough to be most of the page's text by far.</p></div>\
                 <section id=\"comments-list\"><p>Great post!</p></section>\
                 <div class=\"box Related_Posts\">Other story</div><div class=\"shared\">Not chrome</div>",
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            marked(&read),
            [
                ("Great post!", Region::Named("comment")),
                ("Other story", Region::Named("related"))
            ]
        );
    }

    #[test]
    fn readability_taking_the_comment_thread_for_the_article_is_no_evidence() {
        let comment = |n: usize| {
            format!(
                "<div class=\"comment\"><p>Reader {n} wrote: the ferry, which I take every day, was late \
                 again this morning, and the timetable, as usual, said nothing about it, so we waited, \
                 and waited, and then walked to the bus instead.</p></div>"
            )
        };
        let thread: String = (1..=6).map(comment).collect();
        let body = format!(
            "<div class=\"post\"><h2>Harbour ferry returns</h2><p>The ferry is back.</p></div>\
             <div id=\"thread\">{thread}</div>"
        );
        let read = read_html(page(&body).as_bytes()).unwrap();
        let region_of = |prefix: &str| {
            let at = (read.text.lines())
                .position(|line| line.starts_with(prefix))
                .unwrap();
            read.regions[at]
        };
        // The comments stay marked as comments, and the post above them is in no region.
        assert_eq!(region_of("Reader 1 wrote"), Some(Region::Named("comment")));
        assert_eq!(region_of("The ferry is back."), None);
        assert!(!read.regions.contains(&Some(Region::OutsideArticle)));
    }

    #[test]
    fn the_character_set_comes_from_the_bom_the_meta_tag_or_the_bytes() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xe9</p></body></html>";
        let read = read_html(latin1).unwrap();
        assert_eq!((read.text.as_str(), read.encoding), ("Café\n", "windows-1252"));
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
        assert_eq!(read_html(http_equiv).unwrap().text, "Привет\n");
        // Text already decoded: a label in it is moot.
        let labelled = "<meta charset=\"iso-8859-1\"><p>Café</p>";
        assert_eq!(read_html_str(labelled).unwrap().text, "Café\n");
        let bom = b"\xef\xbb\xbf<p>Caf\xc3\xa9</p>";
        assert_eq!(read_html(bom).unwrap().text, "Café\n");
        // No label, not UTF-8: the detector's guess.
        let unlabelled = "<p>Über die Brücke gehen die Bürger täglich zur Arbeit.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(unlabelled);
        assert_eq!(
            read_html(&bytes).unwrap().text,
            "Über die Brücke gehen die Bürger täglich zur Arbeit.\n"
        );
        // A page saved again as UTF-8 that still names its old character set: its bytes say
        // UTF-8, and they are read so.
        let resaved = "<meta charset=\"gb2312\"><p>谷歌收购的人工智能公司</p>";
        let read = read_html(resaved.as_bytes()).unwrap();
        assert_eq!(
            (read.text.as_str(), read.encoding),
            ("谷歌收购的人工智能公司\n", "UTF-8")
        );
        // A page cannot name UTF-16 in ASCII: UTF-8.
        assert_eq!(
            read_html(b"<meta charset=utf-16><p>\xc3\xa9</p>")
                .unwrap()
                .encoding,
            "UTF-8"
        );
    }

    #[test]
    fn broken_deep_and_binary_markup_gives_text_without_panicking() {
        assert_eq!(read_html(b"<p>Cut off <b>mid").unwrap().text, "Cut off mid\n");
        assert_eq!(read_html(b"").unwrap().text, "");
        let deep = format!("{}<p>Deep.</p>", "<div>".repeat(MAX_DEPTH));
        assert_eq!(read_html(deep.as_bytes()).unwrap().text, "Deep.\n");
        let deeper = format!("{}<p>Deep.</p>", "<div>".repeat(100_000));
        assert_eq!(
            read_html(deeper.as_bytes()).unwrap_err(),
            HtmlError::TooDeep(100_000)
        );
        // Unclosed paragraphs and list items, and tags inside scripts, are not depth.
        let sloppy = format!(
            "<script>{}</script>{}",
            "<div>".repeat(MAX_DEPTH),
            "<p>a<li>b<br>".repeat(MAX_DEPTH)
        );
        assert!(read_html(sloppy.as_bytes()).is_ok());
        let binary: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let read = read_html(&binary).unwrap();
        assert_eq!(normalize(&read.text), read.text);
    }
}
