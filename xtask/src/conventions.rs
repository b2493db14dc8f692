//! The API crates' convention (`docs/CONVENTIONS.md`), checked from their source: each has
//! `endpoints.rs`, `client.rs`, `query.rs` and `models.rs`, and every endpoint declared as
//! `<family>.<method>` has its client method `<method>` — with `<method>_page` and
//! `<method>_pages` beside it when the endpoint is paged (declared with a pagination, or
//! read page by page).

use std::collections::BTreeSet;
use std::path::Path;

/// Each API crate's source folder (a version module counts as a crate of its own), and the
/// family its endpoint names start with.
const API_SOURCES: [(&str, &str); 6] = [
    ("crates/cursor-admin/src", "admin"),
    ("crates/cursor-analytics/src", "analytics"),
    ("crates/cursor-aicode/src", "aicode"),
    ("crates/cursor-agents/src", "agents"),
    ("crates/cursor-agents/src/v1", "agents.v1"),
    ("crates/cursor-bugbot/src", "bugbot"),
];

/// The files every API crate has.
const LAYOUT: [&str; 4] = ["endpoints.rs", "client.rs", "query.rs", "models.rs"];

/// Endpoints sent by another endpoint's method, with the reason.
const SENT_BY_ANOTHER_METHOD: [(&str, &str); 1] =
    [("bugbot.review_dry_run", "sent by `review` when the request is `dry_run(true)`: one route, its own bucket")];

/// One declared endpoint as the source says it.
#[derive(Debug, PartialEq)]
struct Declared {
    name: String,
    paged: bool,
}

/// Every problem with the API crates' layout and method names.
pub fn check(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (dir, family) in API_SOURCES {
        let dir_path = root.join(dir);
        for file in LAYOUT {
            if !dir_path.join(file).is_file() {
                problems.push(format!(
                    "{dir}: has no {file} (docs/CONVENTIONS.md: every API crate lays out the same files)"
                ));
            }
        }
        let read = |file: &str| std::fs::read_to_string(dir_path.join(file)).unwrap_or_default();
        problems.extend(
            method_problems(family, &read("endpoints.rs"), &read("client.rs"))
                .into_iter()
                .map(|p| format!("{dir}: {p}")),
        );
    }
    problems
}

/// What the client lacks for the endpoints declared in `endpoints` (the text of an
/// `endpoints.rs`), given the text of its `client.rs`.
fn method_problems(family: &str, endpoints: &str, client: &str) -> Vec<String> {
    let methods = defined_methods(client);
    let mut problems = Vec::new();
    for declared in declarations(family, endpoints) {
        if SENT_BY_ANOTHER_METHOD.iter().any(|(name, _)| *name == declared.name) {
            continue;
        }
        let method = &declared.name[family.len() + 1..];
        let paged = declared.paged || methods.contains(&format!("{method}_page"));
        let mut wanted = vec![method.to_owned()];
        if paged {
            wanted.extend([format!("{method}_page"), format!("{method}_pages")]);
        }
        for name in wanted {
            if !methods.contains(&name) {
                let kind = if paged { "a paged endpoint" } else { "an endpoint" };
                problems.push(format!("{} is {kind} but the client has no method `{name}`", declared.name));
            }
        }
    }
    problems
}

/// The endpoints an `endpoints.rs` declares: each `pub const …: Endpoint = …;` whose first
/// string literal is `<family>.<method>`, paged when its declaration (or the `const fn` helper
/// it calls) sets a pagination.
fn declarations(family: &str, text: &str) -> Vec<Declared> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let paging_helpers: Vec<String> = code
        .split("const fn ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split('(').next()?.trim().to_owned();
            let body = rest.split("\n}").next()?;
            body.contains(".paginated(").then_some(name)
        })
        .collect();
    code.split("pub const ")
        .skip(1)
        .filter_map(|rest| {
            let (head, expression) = rest.split_once('=')?;
            if !head.contains(": Endpoint") {
                return None;
            }
            let expression = expression.split(";\n").next().unwrap_or(expression);
            let name = expression.split('"').nth(1)?;
            let method = name.strip_prefix(family)?.strip_prefix('.')?;
            if method.is_empty() || !method.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return None;
            }
            let paged = expression.contains(".paginated(")
                || paging_helpers.iter().any(|helper| expression.contains(&format!("{helper}(")));
            Some(Declared { name: name.to_owned(), paged })
        })
        .collect()
}

/// The method names a `client.rs` defines: every `fn name`, and every name listed in the
/// invocation of a macro that generates methods (`by_user_methods! { … }`).
fn defined_methods(text: &str) -> BTreeSet<String> {
    let identifier = |s: &str| -> String { s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect() };
    let mut names: BTreeSet<String> = text.split("fn ").skip(1).map(identifier).filter(|n| !n.is_empty()).collect();
    let mut in_invocation = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if !in_invocation {
            in_invocation = !line.starts_with(' ') && trimmed.ends_with("! {") && !trimmed.starts_with("macro_rules!");
            continue;
        }
        if line.starts_with('}') {
            in_invocation = false;
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        names.extend(
            line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_owned),
        );
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINTS: &str = r#"//! Declarations.
const fn paged(name: &'static str) -> Endpoint {
    Endpoint::get(name, API, "/x", BUCKET).paginated(PAGES)
}
/// One page at a time.
pub const LIST: Endpoint = Endpoint::get("fam.list", API, "/l", BUCKET)
    .paginated(PAGES);
pub const ITEMS: Endpoint = paged("fam.items");
pub const GET: Endpoint = Endpoint::get("fam.get", API, "/g", BUCKET);
pub const ENDPOINTS: &[&Endpoint] = &[&LIST, &GET];
pub const HINT: &str = "fam.not_an_endpoint";
"#;

    #[test]
    fn declarations_are_read_with_their_paging_from_the_const_or_its_helper() {
        let declared = declarations("fam", ENDPOINTS);
        assert_eq!(
            declared,
            [
                Declared { name: "fam.list".into(), paged: true },
                Declared { name: "fam.items".into(), paged: true },
                Declared { name: "fam.get".into(), paged: false },
            ]
        );
    }

    #[test]
    fn a_missing_method_is_reported_and_a_complete_client_passes() {
        let complete = "impl C {\n    pub async fn list_page() {}\n    pub fn list() {}\n    pub fn list_pages() {}\n    pub async fn get() {}\n}\nitems_methods! {\n    ITEMS: items_page, items, items_pages;\n}\n";
        assert_eq!(method_problems("fam", ENDPOINTS, complete), Vec::<String>::new());
        let lacking = "impl C {\n    pub async fn list() {}\n    pub async fn fetch() {}\n}\n";
        let problems = method_problems("fam", ENDPOINTS, lacking);
        assert!(problems.iter().any(|p| p.contains("`list_page`")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("`list_pages`")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("`items`")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("fam.get") && p.contains("`get`")), "{problems:?}");
    }

    #[test]
    fn a_page_method_makes_an_undeclared_paging_endpoint_want_its_pages_method() {
        let client = "impl C {\n    pub async fn get_page() {}\n    pub fn get() {}\n    pub fn list_page() {}\n    pub fn list() {}\n    pub fn list_pages() {}\n    pub fn items() {}\n    pub fn items_page() {}\n    pub fn items_pages() {}\n}\n";
        let problems = method_problems("fam", ENDPOINTS, client);
        assert_eq!(problems, ["fam.get is a paged endpoint but the client has no method `get_pages`"]);
    }

    #[test]
    fn every_api_crate_follows_the_convention() {
        let problems = check(&crate::rules::workspace_root());
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
