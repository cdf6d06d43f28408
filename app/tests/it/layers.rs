//! The app's modules import downward only. `LAYERS` lists them from the bottom up: a
//! module may use what lies below it, never what lies above or beside it, so no two
//! features import each other and the shared vocabulary depends on no feature.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// From the bottom up. `i18n` is made from the catalogs; `core` is the shared vocabulary; then the platform (errors,
/// database, state, the request, URLs, components, mail, the audit trail); then the
/// features, each built on those below it; then the shell and the app itself.
const LAYERS: &[&str] = &[
    "i18n",
    "core",
    "error",
    "db",
    "storage",
    "password",
    "state",
    "request",
    "locale",
    "paths",
    "components",
    "mail",
    "audit_trail",
    "csv_export",
    "auth",
    "api_keys",
    "tenancy",
    "impersonation",
    "users",
    "clients",
    "briefing",
    "oncall",
    "tasks",
    "inbox",
    "operator_view",
    "platform_api",
    "audit",
    "home",
    "layout",
    "lib",
];

/// Macros exported at the crate root, and the module that defines each.
const ROOT_MACROS: &[(&str, &str)] = &[("keyed_enum", "core"), ("tr", "core"), ("tr_in", "core")];

#[test]
fn modules_import_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = layer_problems(&src);
    assert!(
        problems.is_empty(),
        "imports against the layering (bottom up: {}):\n{}",
        LAYERS.join(" < "),
        problems.join("\n")
    );
}

/// Every import in the source tree at `src` that goes sideways or up, as
/// "file: importer -> imported".
fn layer_problems(src: &Path) -> Vec<String> {
    let rank = |module: &str| LAYERS.iter().position(|layer| *layer == module);
    let mut problems = Vec::new();
    for file in rust_files(src) {
        let relative = file
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let module = top_module(&relative);
        let Some(own_rank) = rank(&module) else {
            problems.push(format!("{relative}: module `{module}` is in no layer"));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for imported in imported_modules(&code_only(&text)) {
            if imported == module {
                continue;
            }
            match rank(&imported) {
                Some(imported_rank) if imported_rank < own_rank => {}
                _ => problems.push(format!("{relative}: {module} -> {imported}")),
            }
        }
    }
    problems
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// `auth/actor.rs` → `auth`; `paths.rs` → `paths`.
fn top_module(relative: &str) -> String {
    let first = relative.split(['/', '\\']).next().unwrap_or(relative);
    first.trim_end_matches(".rs").to_string()
}

/// The text with comments and the contents of string literals blanked, so that only
/// code is searched.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            i += 2;
            while i < chars.len() && !chars[i..].starts_with(&['*', '/']) {
                i += 1;
            }
            i += 2;
        } else if chars[i] == '"' && !(i > 0 && chars[i - 1] == '\'') {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The top-level modules a file's code names through `crate::`, including those
/// inside `use crate::{a::…, b::…}` groups and macros exported at the crate root.
fn imported_modules(code: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let preceded_by_path =
            rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        if !preceded_by_path {
            if let Some(group) = after.strip_prefix('{') {
                let end = matching_brace(group);
                for item in top_level_items(&group[..end]) {
                    modules.insert(item);
                }
            } else {
                modules.insert(identifier(after));
            }
        }
        rest = after;
    }
    modules
        .into_iter()
        .filter(|name| !name.is_empty() && name != "self")
        .map(|name| {
            ROOT_MACROS
                .iter()
                .find(|(mac, _)| *mac == name)
                .map_or(name, |(_, module)| module.to_string())
        })
        .collect()
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Where the group that `text` opens closes (`text` starts just inside it).
fn matching_brace(text: &str) -> usize {
    let mut depth = 1;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The first segment of each item of a `use` group: `a::b, c::{d, e}` → a, c.
fn top_level_items(group: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && (c.is_alphanumeric() || c == '_') => {
                items.push(identifier(&group[at..]));
                start = false;
            }
            _ => {}
        }
    }
    items
}

#[test]
fn the_check_sees_imports_in_every_form() {
    let code = code_only(
        "use crate::auth::actor::Actor;\n\
         use crate::{clients::Feature, users::{a, b}};\n\
         // use crate::mail::x;\n\
         let s = \"crate::home\";\n\
         crate::keyed_enum! {}\n\
         let x = crate::tenancy::repo::get_node(db);",
    );
    let found: Vec<String> = imported_modules(&code).into_iter().collect();
    assert_eq!(found, ["auth", "clients", "core", "tenancy", "users"]);
}
