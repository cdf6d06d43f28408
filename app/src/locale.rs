//! Which language a page is in, and the provider that makes every word follow it.
//!
//! The server decides: the signed-in person's own language; signed out, the one
//! chosen on the sign-in page (a cookie), else the first of English and French the
//! browser asks for, else English. The browser takes the page's language from the
//! `<html lang>` the server wrote, so hydration finds the same words.

use leptos::prelude::*;

use crate::core::words::PageLanguage;
use crate::core::Language;
use crate::i18n::I18nContextProvider;

/// The cookie that keeps the language chosen on the sign-in page.
pub const LANGUAGE_COOKIE: &str = "switchboard_language";

/// The page's language for a person whose own language is `own` (when signed in),
/// with the language `cookie` and the browser's `accept_language` header.
pub fn negotiate(
    own: Option<Language>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
) -> Language {
    own.or_else(|| cookie.and_then(|code| Language::from_key(code.trim())))
        .or_else(|| accept_language.and_then(preferred_in_header))
        .unwrap_or(Language::English)
}

/// The language of `Accept-Language` with the highest weight that we have: `fr-CA`
/// counts as French; of equal weights the first listed wins; `q=0` means "not this".
fn preferred_in_header(header: &str) -> Option<Language> {
    let mut best: Option<(f32, Language)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight = parts
            .find_map(|param| param.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(language) = Language::from_key(&primary) else {
            continue;
        };
        if weight > 0.0 && best.is_none_or(|(kept, _)| weight > kept) {
            best = Some((weight, language));
        }
    }
    best.map(|(_, language)| language)
}

/// Keeps `language` for a year, for the pages seen signed out.
pub fn language_cookie(language: Language) -> String {
    format!(
        "{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        language.key()
    )
}

/// The browser's `Accept-Language` header, when it is readable.
#[cfg(feature = "ssr")]
pub fn accept_language(parts: &http::request::Parts) -> Option<&str> {
    parts
        .headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
}

/// Provides the language the request was given (`auth::page_language`). A request it did
/// not see (an address that matches no route) is answered as if signed out.
#[cfg(feature = "ssr")]
pub fn provide_page_language(parts: &http::request::Parts) {
    let language = parts
        .extensions
        .get::<PageLanguage>()
        .copied()
        .unwrap_or_else(|| {
            let client = crate::request::Requester::from_parts(parts, false);
            PageLanguage(negotiate(
                None,
                client.cookie(LANGUAGE_COOKIE),
                accept_language(parts),
            ))
        });
    provide_context(language);
}

/// Gives everything inside it the page's language.
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    let cookie = leptos_i18n::context::CookieOptions::default()
        .path("/")
        .max_age(365_i64 * 24 * 60 * 60 * 1000);
    view! {
        <I18nContextProvider cookie_name=LANGUAGE_COOKIE cookie_options=cookie>
            <ServerLanguage />
            {children()}
        </I18nContextProvider>
    }
}

/// On the server, sets the language it decided for this page; in the browser there
/// is none to set, the provider having read it from the page.
#[component]
fn ServerLanguage() -> impl IntoView {
    if let Some(PageLanguage(language)) = use_context::<PageLanguage>() {
        let i18n = crate::i18n::use_i18n();
        let locale = language.locale();
        if i18n.get_locale_untracked() != locale {
            i18n.set_locale(locale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persons_own_language_wins() {
        let page = negotiate(Some(Language::French), Some("en"), Some("en-US"));
        assert_eq!(page, Language::French);
    }

    #[test]
    fn signed_out_the_cookie_comes_before_the_browser() {
        assert_eq!(negotiate(None, Some("fr"), Some("en")), Language::French);
        assert_eq!(
            negotiate(None, Some("en"), Some("fr-FR")),
            Language::English
        );
    }

    #[test]
    fn a_cookie_of_no_known_language_is_passed_over() {
        assert_eq!(negotiate(None, Some("de"), Some("fr")), Language::French);
    }

    #[test]
    fn the_browser_s_weights_decide() {
        let header = Some("de-DE,de;q=0.9,en;q=0.5,fr-CA;q=0.8");
        assert_eq!(negotiate(None, None, header), Language::French);
        assert_eq!(
            negotiate(None, None, Some("fr;q=0, en;q=0.1")),
            Language::English
        );
        assert_eq!(negotiate(None, None, Some("FR-ch, en")), Language::French);
    }

    #[test]
    fn english_when_nothing_says_otherwise() {
        assert_eq!(negotiate(None, None, None), Language::English);
        assert_eq!(
            negotiate(None, None, Some("de, es;q=0.5")),
            Language::English
        );
        assert_eq!(negotiate(None, None, Some("fr;q=bad")), Language::English);
    }
}

#[cfg(test)]
mod catalogs {
    use serde_json::Value;

    /// Every key path of a catalog, `sign_in.title` for a nested one; plural forms
    /// count as one key (French and English plurals differ in their forms).
    fn keys(catalog: &str) -> Vec<String> {
        fn walk(prefix: &str, value: &Value, into: &mut Vec<String>) {
            match value {
                Value::Object(entries) => {
                    for (key, value) in entries {
                        let path = if prefix.is_empty() {
                            key.clone()
                        } else {
                            format!("{prefix}.{key}")
                        };
                        walk(&path, value, into);
                    }
                }
                _ => {
                    let key = ["_zero", "_one", "_two", "_few", "_many", "_other"]
                        .iter()
                        .find_map(|form| prefix.strip_suffix(form))
                        .unwrap_or(prefix);
                    into.push(key.to_string());
                }
            }
        }
        let catalog: Value = serde_json::from_str(catalog).expect("a catalog is JSON");
        let mut keys = Vec::new();
        walk("", &catalog, &mut keys);
        keys.sort();
        keys.dedup();
        keys
    }

    /// Every text of a catalog, with its key path.
    fn texts(catalog: &str) -> Vec<(String, String)> {
        fn walk(prefix: &str, value: &Value, into: &mut Vec<(String, String)>) {
            match value {
                Value::Object(entries) => {
                    for (key, value) in entries {
                        walk(&format!("{prefix}.{key}"), value, into);
                    }
                }
                Value::String(text) => into.push((prefix.to_string(), text.clone())),
                _ => {}
            }
        }
        let catalog: Value = serde_json::from_str(catalog).expect("a catalog is JSON");
        let mut texts = Vec::new();
        walk("", &catalog, &mut texts);
        texts
    }

    /// French sets `: ; ? !` off with a non-breaking space, quotes with « », and
    /// writes the apostrophe ’.
    /// A word run into `: ; ? !` ("Vide: …"), where French wants a space; `https://`
    /// and `08:00` are not words.
    fn unspaced_mark(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        chars.windows(3).any(|run| {
            run[0].is_alphabetic()
                && ":;?!".contains(run[1])
                && (run[2].is_whitespace() || run[2] == '»')
        }) || chars
            .windows(2)
            .last()
            .is_some_and(|end| end[0].is_alphabetic() && ":;?!".contains(end[1]))
    }

    #[test]
    fn french_is_typeset_as_french() {
        let mistakes: Vec<_> = texts(include_str!("../locales/fr.json"))
            .into_iter()
            .filter(|(_, text)| {
                [" :", " ;", " ?", " !", "\"", "'"]
                    .iter()
                    .any(|mistake| text.contains(mistake))
                    || unspaced_mark(text)
            })
            .collect();
        assert!(
            mistakes.is_empty(),
            "typeset these the French way: {mistakes:?}"
        );
    }

    #[test]
    fn the_catalogs_hold_the_same_keys() {
        let english = keys(include_str!("../locales/en.json"));
        let french = keys(include_str!("../locales/fr.json"));
        let only_english: Vec<_> = english.iter().filter(|key| !french.contains(key)).collect();
        let only_french: Vec<_> = french.iter().filter(|key| !english.contains(key)).collect();
        assert!(
            only_english.is_empty() && only_french.is_empty(),
            "missing in fr.json: {only_english:?}; missing in en.json: {only_french:?}"
        );
    }
}

/// Every word a person reads comes from the catalogs: a view that spells out a
/// sentence itself fails here, naming the file and the text.
#[cfg(test)]
mod views {
    use std::path::{Path, PathBuf};

    /// Texts in views that are not words in a language: code shown as code.
    const NOT_WORDS: &[&str] = &[
        "GET /api/v1/operator-view",
        "Authorization: Bearer sbk_…",
        "ETag ",
    ];

    /// Attributes whose values are for the machine, never read by a person.
    const MACHINE_ATTRIBUTES: &[&str] = &[
        "class",
        "id",
        "name",
        "type",
        "input_type",
        "autocomplete",
        "href",
        "value",
        "rel",
        "target",
        "role",
        "list",
        "direction",
        "inputmode",
        "accept",
        "method",
        "action",
        "for",
        "lang",
        "pattern",
        "step",
        "min",
        "max",
        "d",
        "viewBox",
    ];

    /// Every stylesheet, to tell a list of class names from words.
    fn stylesheets() -> String {
        let mut files = Vec::new();
        sources_ending(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../style"),
            "scss",
            &mut files,
        );
        files
            .iter()
            .map(|file| std::fs::read_to_string(file).unwrap())
            .collect()
    }

    fn sources_ending(folder: &Path, extension: &str, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(folder).expect("the source folder is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                sources_ending(&path, extension, into);
            } else if path.extension().is_some_and(|ext| ext == extension) {
                into.push(path);
            }
        }
    }

    /// The bodies of the `view! { … }` blocks of `source`, tests left out.
    fn view_blocks(source: &str) -> Vec<&str> {
        let source = source
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or(source);
        let mut blocks = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find("view! {") {
            let body = &rest[start + "view! {".len()..];
            let end = closing_brace(body);
            blocks.push(&body[..end]);
            rest = &body[end..];
        }
        blocks
    }

    /// Where the brace opened just before `body` closes, strings skipped.
    fn closing_brace(body: &str) -> usize {
        let (mut depth, mut in_string, mut escaped) = (1, false, false);
        for (at, ch) in body.char_indices() {
            match (in_string, ch) {
                (true, _) if escaped => escaped = false,
                (true, '\\') => escaped = true,
                (_, '"') => in_string = !in_string,
                (false, '{') => depth += 1,
                (false, '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return at;
                    }
                }
                _ => {}
            }
        }
        body.len()
    }

    /// The string literals of a view that a person would read: not a machine
    /// attribute's value, and holding a capital letter's word or two words.
    fn readable_literals(block: &str, styles: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut parts = block.split('"');
        let mut before = parts.next().unwrap_or_default();
        while let (Some(literal), Some(after)) = (parts.next(), parts.next()) {
            let attribute = before
                .trim_end()
                .strip_suffix('=')
                .map(|head| {
                    head.rsplit(|ch: char| ch.is_whitespace() || ch == '<')
                        .next()
                        .unwrap_or("")
                })
                .map(|name| name.trim_start_matches("attr:"));
            let for_machine = attribute.is_some_and(|name| MACHINE_ATTRIBUTES.contains(&name));
            let starts_a_word = literal.chars().next().is_some_and(char::is_uppercase)
                && literal.chars().filter(|ch| ch.is_alphabetic()).count() > 1;
            let two_words = literal
                .split_whitespace()
                .filter(|word| word.chars().all(char::is_alphabetic))
                .count()
                >= 2
                && !literal
                    .split_whitespace()
                    .all(|word| styles.contains(&format!(".{word}")));
            if !for_machine && (starts_a_word || two_words) && !NOT_WORDS.contains(&literal) {
                found.push(literal.to_string());
            }
            before = after;
        }
        found
    }

    #[test]
    fn views_take_their_words_from_the_catalogs() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources_ending(&root, "rs", &mut files);
        let styles = stylesheets();
        let mut spelled_out = Vec::new();
        for file in files {
            let name = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let source = std::fs::read_to_string(&file).unwrap();
            let literals: Vec<String> = view_blocks(&source)
                .into_iter()
                .flat_map(|block| readable_literals(block, &styles))
                .collect();
            if !literals.is_empty() {
                spelled_out.push(format!("{name}: {literals:?}"));
            }
        }
        assert!(
            spelled_out.is_empty(),
            "take these from the catalogs: {spelled_out:#?}"
        );
    }
}
