//! Which site a document belongs to: the host of a page's address (the archived page's, for an
//! archive or a cache), and the group of documents whose site is not known. Learned profiles
//! and group rules are kept per site.

/// The group of documents that belong to no known site (a record without a URL host): nothing
/// is learned for it.
pub const UNGROUPED: &str = "_";

/// The group of a document whose site is `site`: the site, or [`UNGROUPED`] when it is not
/// known.
pub fn group_of(site: Option<String>) -> String {
    site.unwrap_or_else(|| UNGROUPED.to_string())
}

/// The host of an address, lower-cased, without a leading `www.`. The address of a page seen
/// through an archive or a cache (the Wayback Machine, archive.today, Google's cache, Google's
/// translation proxy) is the archived page's: those hosts serve many sites, never one. An
/// archive address that does not say which page it holds has no host.
pub fn url_host(address: &str) -> Option<String> {
    let url = url::Url::parse(address).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if let Some(archived) = archived_page(&url, host) {
        // One level only: an archive of an archive is rare, and the loop must end.
        let inner = url::Url::parse(&archived?).ok()?;
        let inner = inner.host_str()?.to_ascii_lowercase();
        return Some(inner.strip_prefix("www.").unwrap_or(&inner).to_string());
    }
    if let Some(proxied) = host.strip_suffix(".translate.goog") {
        // `example-com.translate.goog` stands for example.com (`--` for a hyphen).
        return Some(
            proxied
                .replace("--", "\u{0}")
                .replace('-', ".")
                .replace('\u{0}', "-"),
        );
    }
    Some(host.to_string())
}

/// For an archive or cache host: `Some` with the address of the page it holds (`None` inside
/// when the address does not say). `None` for any other host.
fn archived_page(url: &url::Url, host: &str) -> Option<Option<String>> {
    const ARCHIVE_TODAY: [&str; 7] = [
        "archive.today",
        "archive.ph",
        "archive.is",
        "archive.li",
        "archive.vn",
        "archive.fo",
        "archive.md",
    ];
    let embedded = |text: &str| {
        let at = text.find("http://").or_else(|| text.find("https://"))?;
        Some(text[at..].to_string())
    };
    if host == "web.archive.org" || host == "wayback.archive.org" {
        // /web/20240101000000/https://example.com/page, the scheme sometimes left out.
        let path = url.path();
        let rest = path.strip_prefix("/web/").and_then(|rest| rest.split_once('/'));
        return Some(match rest {
            Some((_, page)) if page.starts_with("http") => embedded(page),
            Some((_, page)) if page.contains('.') => Some(format!("http://{page}")),
            _ => None,
        });
    }
    if ARCHIVE_TODAY.contains(&host) {
        return Some(embedded(url.path()));
    }
    if host == "webcache.googleusercontent.com" {
        // search?q=cache:ID:https://example.com/page
        let query = url.query_pairs().find(|(key, _)| key == "q")?.1;
        let cached = query.strip_prefix("cache:").unwrap_or(&query).to_string();
        return Some(embedded(&cached).or_else(|| {
            let page = cached.split_once(':').map_or(cached.as_str(), |(_, page)| page);
            page.contains('.').then(|| format!("http://{page}"))
        }));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    #[test]
    fn archived_and_cached_pages_belong_to_the_site_they_hold() {
        let host = |address: &str| url_host(address);
        assert_eq!(host("https://www.Example.com/a").as_deref(), Some("example.com"));
        for (address, expected) in [
            (
                "https://web.archive.org/web/20240101000000/https://www.news.example/a/b",
                Some("news.example"),
            ),
            (
                "http://web.archive.org/web/2019/http://blog.example.org/post",
                Some("blog.example.org"),
            ),
            (
                "https://web.archive.org/web/20240101000000/gazette.example/story",
                Some("gazette.example"),
            ),
            ("https://web.archive.org/web/", None),
            (
                "https://archive.ph/2024.01.01-000000/https://paper.example/x",
                Some("paper.example"),
            ),
            ("https://archive.ph/AbCdE", None),
            (
                "https://webcache.googleusercontent.com/search?q=cache:abc123:https://shop.example/item",
                Some("shop.example"),
            ),
            (
                "https://webcache.googleusercontent.com/search?q=cache:shop.example/item",
                Some("shop.example"),
            ),
            (
                "https://my--site-example-com.translate.goog/page",
                Some("my-site.example.com"),
            ),
        ] {
            assert_eq!(host(address).as_deref(), expected, "{address}");
        }
    }

    #[test]
    fn the_url_host_names_the_site() {
        let record = Record::parse(
            br#"{"url":"https://WWW.Example.test:8080/a/b","text":"x"}"#,
            "text",
        )
        .unwrap();
        assert_eq!(record.host().as_deref(), Some("example.test"));
        assert_eq!(url_host("not a url"), None);
    }
}
