//! How a built-in site profile recognises its site's pages: the hosts the site is served from,
//! and lines its pages carry (a tip-off box, a related-stories heading). A document whose group
//! (site) is one of those hosts, or that holds enough of those lines, is the site's; the
//! default rules then clean it with the profile's rules added (see
//! [`crate::rules::RuleSet::default_rules`]). So one site's lines stay out of everyone's
//! defaults, and the site is still cleaned well without a flag.

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::normalize::normalize_line;

/// The `[recognise]` table of a built-in profile's file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecogniseSpec {
    /// Hosts the site is served from; their subdomains count too.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Whole lines the site's pages carry.
    #[serde(default)]
    pub lines: Vec<String>,
    /// How many different ones of `lines` a document must hold to be the site's.
    #[serde(default = "two")]
    pub min_lines: usize,
}

fn two() -> usize {
    2
}

/// What tells a site's pages, compiled from a [`RecogniseSpec`].
#[derive(Debug, Clone)]
pub struct Signature {
    hosts: Vec<String>,
    /// The lines, normalised as a document's lines are.
    lines: FxHashSet<String>,
    /// A fast search for each of them anywhere in a text: a page holding fewer of them than it
    /// takes, even inside other lines, needs no look at its lines (nearly every page).
    finders: Vec<memchr::memmem::Finder<'static>>,
    min_lines: usize,
}

impl Signature {
    /// The signature a `[recognise]` table describes.
    pub fn new(spec: &RecogniseSpec) -> Signature {
        let lines: FxHashSet<String> = spec.lines.iter().map(|line| normalize_line(line)).collect();
        let finders = (lines.iter())
            .map(|line| memchr::memmem::Finder::new(line.as_bytes()).into_owned())
            .collect();
        Signature {
            finders,
            hosts: spec.hosts.iter().map(|host| host.to_ascii_lowercase()).collect(),
            lines,
            min_lines: spec.min_lines.max(1),
        }
    }

    /// How it recognises pages, in words: `pages of theregister.com, or with 2 of its 3 lines`.
    pub fn describe(&self) -> String {
        let mut ways = Vec::new();
        if !self.hosts.is_empty() {
            ways.push(format!("pages of {}", self.hosts.join(", ")));
        }
        if !self.lines.is_empty() {
            ways.push(format!(
                "pages with {} of its {} lines",
                self.min_lines,
                self.lines.len()
            ));
        }
        ways.join(", or ")
    }

    /// Whether it recognises a site by host.
    pub fn has_hosts(&self) -> bool {
        !self.hosts.is_empty()
    }

    /// Whether a document of `group` (its site: a host, or a folder) with the normalised
    /// `text` is this site's.
    pub fn recognises(&self, text: &str, group: Option<&str>) -> bool {
        // The host itself or a subdomain of it, in any case, without allocating per document.
        let on_host = |group: &str| {
            (self.hosts.iter()).any(|host| {
                let Some(at) = group.len().checked_sub(host.len()) else {
                    return false;
                };
                let (sub, tail) = group.as_bytes().split_at(at);
                tail.eq_ignore_ascii_case(host.as_bytes()) && (sub.is_empty() || sub.ends_with(b"."))
            })
        };
        if group.is_some_and(on_host) {
            return true;
        }
        if self.lines.is_empty() {
            return false;
        }
        let anywhere = (self.finders.iter())
            .filter(|finder| finder.find(text.as_bytes()).is_some())
            .count();
        if anywhere < self.min_lines {
            return false;
        }
        // The different signature lines found so far: a handful at most.
        let mut found: Vec<&str> = Vec::new();
        for line in text.lines() {
            if self.lines.contains(line) && !found.contains(&line) {
                found.push(line);
                if found.len() >= self.min_lines {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature() -> Signature {
        Signature::new(&RecogniseSpec {
            hosts: vec!["example.com".to_string()],
            lines: vec![
                "Tip us off".to_string(),
                "Send us news".to_string(),
                "Other stories".to_string(),
            ],
            min_lines: 2,
        })
    }

    #[test]
    fn a_page_is_the_sites_by_its_host_or_by_enough_of_its_lines() {
        let signature = signature();
        assert!(signature.recognises("anything", Some("example.com")));
        assert!(signature.recognises("anything", Some("news.Example.com")));
        assert!(!signature.recognises("anything", Some("notexample.com")));
        assert!(!signature.recognises("anything", Some("example.com.evil.test")));
        assert!(signature.recognises("Body.\nTip us off\nSend us news\n", None));
        assert!(signature.recognises("Body.\nSend us news\nOther stories\n", Some("other.test")));
    }

    #[test]
    fn one_line_or_the_same_line_twice_is_not_enough() {
        let signature = signature();
        assert!(!signature.recognises("Body.\nSend us news\n", None));
        assert!(!signature.recognises("Send us news\nSend us news\n", None));
        assert!(
            !signature.recognises("Please send us news and tip us off.\n", None),
            "whole lines only"
        );
    }
}
