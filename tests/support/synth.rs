//! Synthetic corpora of scraped articles, for tests and benchmarks: several made-up sites,
//! each with its own header, menu, footer and a marker followed by related-story teasers that
//! differ from article to article, bodies from a small sentence generator, and messy
//! whitespace; and blogs whose posts end in sections of text unique to each post under a
//! heading that repeats: reader comments, an author box, related posts with excerpts. Every
//! document comes with its expected clean body. Deterministic for a seed.

use std::fmt::Write as _;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One generated document.
#[derive(Debug, Clone)]
pub struct SynthDoc {
    /// A stable id (`0000042`).
    pub id: String,
    /// Where the document sits in a tree: `<site>/<year>/<month>/<id>.txt`.
    pub path: String,
    /// The page's address.
    pub url: String,
    /// The scraped text, chrome and messy whitespace included.
    pub raw: String,
    /// The clean body: headline and paragraphs, normalised.
    pub expected: String,
}

/// Generates `docs` documents of the news sites from `seed`.
pub fn generate(docs: usize, seed: u64) -> Vec<SynthDoc> {
    generate_from(&SITES.iter().collect::<Vec<_>>(), docs, seed)
}

/// Generates `docs` documents of the news sites and the blogs from `seed`.
pub fn generate_with_sections(docs: usize, seed: u64) -> Vec<SynthDoc> {
    generate_from(&SITES.iter().chain(BLOGS).collect::<Vec<_>>(), docs, seed)
}

fn generate_from(sites: &[&Site], docs: usize, seed: u64) -> Vec<SynthDoc> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..docs)
        .map(|id| {
            let site = sites[rng.gen_range(0..sites.len())];
            let (raw, expected) = document(site, id, &mut rng);
            let year = 2015 + id % 10;
            SynthDoc {
                id: format!("{id:07}"),
                path: format!("{}/{year}/{:02}/{id:07}.txt", site.host, 1 + id % 12),
                url: format!("https://{}/{year}/{id}", site.host),
                raw,
                expected,
            }
        })
        .collect()
}

const SUBJECTS: &[&str] = &[
    "The council",
    "A local charity",
    "The harbour authority",
    "Researchers at the university",
    "The rail operator",
    "A group of residents",
    "The new mayor",
    "Engineers",
    "The school board",
    "Volunteers",
    "The museum",
    "A regional hospital",
    "Farmers in the valley",
    "The football club",
    "Shop owners",
];
const VERBS: &[&str] = &[
    "approved",
    "rejected",
    "announced",
    "postponed",
    "questioned",
    "welcomed",
    "published",
    "extended",
    "funded",
    "reviewed",
    "opened",
    "criticised",
];
const OBJECTS: &[&str] = &[
    "a plan to rebuild the old bridge",
    "the budget for next year",
    "a study of river pollution",
    "new opening hours for the library",
    "a scheme to plant ten thousand trees",
    "the results of the survey",
    "a proposal for a cycle lane",
    "an appeal for winter coats",
    "the sale of the former post office",
    "a programme of free concerts",
    "changes to the bus timetable",
    "a bid to host the regional games",
];
const TAILS: &[&str] = &[
    "after months of debate",
    "despite strong objections",
    "on Tuesday evening",
    "at a packed meeting",
    "in a statement on Friday",
    "following a public consultation",
    "with little warning",
    "to the surprise of many",
    "after a long delay",
    "in a close vote",
];
const QUOTES: &[&str] = &[
    "We have waited a long time for this",
    "It is not the answer people wanted",
    "This is good news for everyone",
    "The details still have to be worked out",
    "We will keep listening to residents",
];

struct Site {
    name: &'static str,
    host: &'static str,
    menu: &'static [&'static str],
    ending: Ending,
    footer: &'static [&'static str],
}

/// What comes between a page's article and its footer.
enum Ending {
    /// A marker, then headlines of other stories.
    Teasers(&'static str),
    /// Sections of a blog, in order.
    Sections(&'static [Section]),
}

/// A section under a blog post: a heading every post has, then text of this post's own.
enum Section {
    /// The heading, then for each comment a name, a date, the comment and a reply link.
    Comments(&'static str),
    /// "About the author", then a bio that differs from post to post.
    AuthorBox,
    /// The heading, then for each related post its title, an excerpt and a link.
    Related(&'static str),
    /// A newsletter blurb, the same on every post.
    Newsletter,
}

const SITES: &[Site] = &[
    Site {
        name: "Kelsby Gazette",
        host: "kelsby-gazette.test",
        menu: &["News", "Sport", "Weather", "Jobs", "Property"],
        ending: Ending::Teasers("More from the Gazette"),
        footer: &["Contact us | Advertise | Privacy", "© Kelsby Gazette"],
    },
    Site {
        name: "The Northern Ledger",
        host: "northern-ledger.test",
        menu: &["Home", "Politics", "Business", "Culture", "Opinion", "Puzzles"],
        ending: Ending::Teasers("Read next"),
        footer: &["About the Ledger", "Terms and conditions", "All rights reserved"],
    },
    Site {
        name: "Valley Voice",
        host: "valleyvoice.test",
        menu: &["Latest", "Community", "Farming", "Events"],
        ending: Ending::Teasers("You may have missed"),
        footer: &[
            "Valley Voice is an independent paper.",
            "Subscribe to the print edition",
        ],
    },
    Site {
        name: "Harbour Post",
        host: "harbourpost.test",
        menu: &["Front page", "Harbour", "Schools", "Letters", "Obituaries"],
        ending: Ending::Teasers("Other stories from the Post"),
        footer: &["Harbour Post Ltd, Quay Street", "Cookie settings"],
    },
    Site {
        name: "City Wire",
        host: "citywire.test",
        menu: &["City", "Transport", "Housing", "Arts"],
        ending: Ending::Teasers("Trending on City Wire"),
        footer: &[
            "City Wire © all rights reserved",
            "Editorial standards",
            "Complaints",
        ],
    },
    Site {
        name: "Riverside Daily",
        host: "riversidedaily.test",
        menu: &["News", "Weather", "Traffic", "Sport", "TV"],
        ending: Ending::Teasers("Around the region"),
        footer: &["Riverside Daily app", "Follow Riverside Daily"],
    },
    Site {
        name: "The Upland Times",
        host: "uplandtimes.test",
        menu: &["Home", "Hill farming", "Walking", "Nature"],
        ending: Ending::Teasers("More stories"),
        footer: &["The Upland Times is published weekly.", "Sitemap"],
    },
    Site {
        name: "Metro Bulletin",
        host: "metrobulletin.test",
        menu: &["Metro", "Money", "Life", "Tech", "Video"],
        ending: Ending::Teasers("Elsewhere in the Bulletin"),
        footer: &["Metro Bulletin — news for the city", "Manage preferences"],
    },
];

const BLOGS: &[Site] = &[
    Site {
        name: "Quiet Kitchen",
        host: "quietkitchen.test",
        menu: &["Recipes", "Journal", "About"],
        ending: Ending::Sections(&[Section::Comments("Comments")]),
        footer: &["Quiet Kitchen is written at a small table.", "Privacy policy"],
    },
    Site {
        name: "Field Notes",
        host: "fieldnotes.test",
        menu: &["Walks", "Birds", "Maps", "Contact"],
        ending: Ending::Sections(&[Section::AuthorBox, Section::Comments("Join the conversation")]),
        footer: &["Field Notes, since 2009"],
    },
    Site {
        name: "Workbench Diary",
        host: "workbenchdiary.test",
        menu: &["Projects", "Tools", "Shop"],
        ending: Ending::Sections(&[Section::Related("Related posts"), Section::Newsletter]),
        footer: &["Workbench Diary", "Terms of use"],
    },
];

const NAMES: &[&str] = &[
    "Maria Lopez",
    "Tom",
    "Jun Park",
    "Aisha K.",
    "Pete Walsh",
    "Greta",
    "Sam O'Neill",
    "Lina Haddad",
    "Oskar",
    "Dee Rivers",
];
const MONTHS: &[&str] = &["January", "March", "May", "July", "September", "November"];
const OPENERS: &[&str] = &[
    "Thanks for writing this up.",
    "I was there too and I agree.",
    "Interesting, but I am not convinced.",
    "My neighbour said the same thing last week.",
    "Great post as always.",
];
const TOPICS: &[&str] = &["birds", "old maps", "rivers", "hill walks", "weather", "moths"];
const PLACES: &[&str] = &[
    "Kelsby",
    "the valley",
    "a narrow boat",
    "the coast",
    "the old mill",
];

fn sentence(rng: &mut ChaCha8Rng) -> String {
    let subject = SUBJECTS.choose(rng).unwrap();
    let verb = VERBS.choose(rng).unwrap();
    let object = OBJECTS.choose(rng).unwrap();
    if rng.gen_bool(0.15) {
        format!(
            "\"{},\" said a spokesperson for {}.",
            QUOTES.choose(rng).unwrap(),
            subject.to_lowercase()
        )
    } else {
        format!("{subject} {verb} {object} {}.", TAILS.choose(rng).unwrap())
    }
}

fn paragraph(rng: &mut ChaCha8Rng) -> String {
    let count = rng.gen_range(2..=5);
    (0..count).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

fn headline_of(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {} {}",
        SUBJECTS.choose(rng).unwrap(),
        VERBS.choose(rng).unwrap(),
        OBJECTS.choose(rng).unwrap()
    )
}

/// The lines of one section under a blog post, with a blank line after it.
fn section_lines(section: &Section, rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut lines = Vec::new();
    match section {
        Section::Comments(heading) => {
            lines.push(heading.to_string());
            let comments = rng.gen_range(0..=7);
            if comments == 0 {
                lines.push("No comments yet.".to_string());
            }
            for _ in 0..comments {
                lines.push(NAMES.choose(rng).unwrap().to_string());
                lines.push(format!(
                    "{} {} {} at {:02}:{:02}",
                    rng.gen_range(1..=28),
                    MONTHS.choose(rng).unwrap(),
                    rng.gen_range(2019..=2025),
                    rng.gen_range(0..24),
                    rng.gen_range(0..60)
                ));
                let sentences = rng.gen_range(1..=3);
                let text: Vec<String> = (0..sentences).map(|_| sentence(rng)).collect();
                lines.push(mess(
                    &format!("{} {}", OPENERS.choose(rng).unwrap(), text.join(" ")),
                    rng,
                ));
                lines.push("Reply".to_string());
            }
            lines.push("Leave a Reply".to_string());
            lines.push("Your email address will not be published.".to_string());
        }
        Section::AuthorBox => {
            lines.push("About the author".to_string());
            let name = NAMES.choose(rng).unwrap();
            let topics: Vec<&&str> = TOPICS.choose_multiple(rng, 2).collect();
            lines.push(format!(
                "{name} writes about {} and {} from {}, and has walked every path in this post at least {} times.",
                topics[0],
                topics[1],
                PLACES.choose(rng).unwrap(),
                rng.gen_range(2..=40)
            ));
            lines.push(format!("More posts by {name}"));
        }
        Section::Related(heading) => {
            lines.push(heading.to_string());
            for _ in 0..3 {
                lines.push(headline_of(rng));
                lines.push(format!("{} {}", sentence(rng), sentence(rng)));
                lines.push("Continue reading".to_string());
            }
        }
        Section::Newsletter => {
            lines.push("Get new posts by email".to_string());
            lines.push("Join four thousand readers and get every new post in your inbox, free.".to_string());
            lines.push("Subscribe".to_string());
        }
    }
    lines.push(String::new());
    lines
}

/// Adds the kinds of whitespace damage scraped text carries.
fn mess(line: &str, rng: &mut ChaCha8Rng) -> String {
    let mut line = line.to_string();
    if rng.gen_bool(0.1) {
        line = line.replacen(' ', "\u{a0}", 1);
    }
    if rng.gen_bool(0.1) {
        line.insert(0, '\t');
    }
    if rng.gen_bool(0.15) {
        line.push_str("  ");
    }
    line
}

/// One document: its raw text and its expected clean body.
fn document(site: &Site, id: usize, rng: &mut ChaCha8Rng) -> (String, String) {
    let headline = headline_of(rng);
    let paragraphs = match site.ending {
        Ending::Teasers(_) => rng.gen_range(6..=16),
        Ending::Sections(_) => rng.gen_range(2..=8),
    };
    let paragraphs: Vec<String> = (0..paragraphs).map(|_| paragraph(rng)).collect();
    let mut body = format!("{headline}\n");
    for paragraph in &paragraphs {
        let _ = write!(body, "\n{paragraph}\n");
    }
    let mut raw_lines: Vec<String> = vec![format!("{headline} | {}", site.name), site.name.to_string()];
    raw_lines.extend(site.menu.iter().map(|item| item.to_string()));
    raw_lines.push(String::new());
    raw_lines.push(headline.clone());
    raw_lines.push(String::new());
    for (index, paragraph) in paragraphs.iter().enumerate() {
        raw_lines.push(mess(paragraph, rng));
        raw_lines.push(String::new());
        if index == 2 {
            raw_lines.push("Advertisement".to_string());
            raw_lines.push(String::new());
        }
        if rng.gen_bool(0.05) {
            raw_lines.push(String::new());
            raw_lines.push(String::new());
        }
    }
    match &site.ending {
        Ending::Teasers(marker) => {
            raw_lines.push(marker.to_string());
            for _ in 0..rng.gen_range(3..=5) {
                raw_lines.push(headline_of(rng));
            }
        }
        Ending::Sections(sections) => {
            for section in *sections {
                raw_lines.extend(section_lines(section, rng));
            }
        }
    }
    raw_lines.push(String::new());
    raw_lines.extend(site.footer.iter().map(|line| line.to_string()));
    let newline = if id.is_multiple_of(5) { "\r\n" } else { "\n" };
    (raw_lines.join(newline) + newline, body)
}
