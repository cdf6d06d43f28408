//! The words people read come from the catalogs (`locales/`), in the language of
//! whoever reads them; this is how code asks for them.

use leptos::prelude::use_context;

use super::Language;
use crate::i18n::Locale;

/// The language the server decided for what it is answering: the page being drawn,
/// or the server function being run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLanguage(pub Language);

impl Language {
    pub fn locale(self) -> Locale {
        match self {
            Language::English => Locale::en,
            Language::French => Locale::fr,
        }
    }
}

/// The language of what is being worded now: the page's while a page is drawn (on the
/// server and in the browser), the reader's in a server function, English where
/// neither is known.
pub fn current() -> Locale {
    use_context::<PageLanguage>()
        .map(|PageLanguage(language)| language.locale())
        .or_else(|| {
            use_context::<leptos_i18n::I18nContext<Locale>>()
                .map(|i18n| i18n.get_locale_untracked())
        })
        .unwrap_or(Locale::en)
}

/// A catalog's text in the [`current`] language: `tr!(sign_in.title)`, or with
/// arguments `tr!(tasks.due, day = day)`. Keys and arguments are checked when built.
#[macro_export]
macro_rules! tr {
    ($($key_and_arguments:tt)*) => {
        $crate::i18n::td_string!($crate::core::words::current(), $($key_and_arguments)*)
    };
}

/// A catalog's text in `language`, whoever is reading the page: what is sent to
/// someone (an email, a text message) is in their language.
/// `tr_in!(language, mail.hello, name = name)`.
#[macro_export]
macro_rules! tr_in {
    ($language:expr, $($key_and_arguments:tt)*) => {
        $crate::i18n::td_string!($crate::core::Language::locale($language), $($key_and_arguments)*)
    };
}

/// `count` as the [`current`] language writes it: 12,500 in English, 12 500 in French.
pub fn number(count: i64) -> String {
    leptos_i18n::td_format_string!(current(), count, formatter: number)
}

/// Items as a sentence lists them: "A", "A and B", "A, B and C" ("A, B et C").
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [head @ .., last] => crate::tr!(common.list_and, head = head.join(", "), last = last),
    }
}

/// What `word` says when worded in `language`: for tests of the words themselves.
#[cfg(test)]
pub fn in_language<T>(language: Language, word: impl FnOnce() -> T) -> T {
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        leptos::prelude::provide_context(PageLanguage(language));
        word()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(in_language(Language::English, || number(12_500)), "12,500");
        assert_eq!(
            in_language(Language::French, || number(12_500)),
            "12\u{202f}500"
        );
        assert_eq!(in_language(Language::French, || number(999)), "999");
    }

    #[test]
    fn lists_join_their_last_item_with_and() {
        let items = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(in_language(Language::English, || list(&items(&[]))), "");
        assert_eq!(in_language(Language::English, || list(&items(&["A"]))), "A");
        assert_eq!(
            in_language(Language::English, || list(&items(&["A", "B", "C"]))),
            "A, B and C"
        );
        assert_eq!(
            in_language(Language::French, || list(&items(&["A", "B"]))),
            "A et B"
        );
    }

    #[test]
    fn plurals_follow_each_language_rules() {
        let owed = |count: i64| crate::tr!(home.inbox.owed, count = count);
        assert_eq!(in_language(Language::English, || owed(1)), "1 owed");
        assert_eq!(in_language(Language::French, || owed(1)), "1 dû");
        assert_eq!(
            in_language(Language::French, || owed(2_000)),
            "2\u{202f}000 dus"
        );
    }
}
