//! The documented examples as files: `tests/fixtures/<api>/<endpoint>.json` (or `.csv`) at
//! the workspace root, the one home of every example response, request body and webhook
//! payload the tests check, read by the API crates' decode tests, the simulator's shape
//! tests and the workspace's contract tests alike.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The extensions a fixture may have, tried in this order when a name is given without one.
const EXTENSIONS: [&str; 2] = ["json", "csv"];

/// The folder that holds the fixtures: `tests/fixtures` in the nearest ancestor of the
/// running test's package (`CARGO_MANIFEST_DIR`, set by cargo for every test it runs) that
/// has one, so a crate under `crates/` and the workspace's own `tests` package find the
/// same folder.
///
/// # Panics
///
/// If no ancestor has a `tests/fixtures` folder.
pub fn fixtures_dir() -> PathBuf {
    // At run time cargo names the package under test; when a binary runs outside cargo the
    // folder is found from where cursor-core was built, which is inside the same workspace.
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    start
        .ancestors()
        .map(|dir| dir.join("tests").join("fixtures"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| panic!("no tests/fixtures folder above {}", start.display()))
}

/// The text of one fixture, by its name under [`fixtures_dir`] without the extension:
/// `fixture("admin/audit_logs")` reads `tests/fixtures/admin/audit_logs.json` (or `.csv`).
/// Each file is read once and kept for the life of the test binary, so the text can be
/// used wherever a `&'static str` constant was.
///
/// # Panics
///
/// If no such fixture exists or it cannot be read as UTF-8.
#[track_caller]
pub fn fixture(name: &str) -> &'static str {
    static READ: OnceLock<Mutex<BTreeMap<String, &'static str>>> = OnceLock::new();
    let mut read = READ.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(text) = read.get(name) {
        return text;
    }
    let dir = fixtures_dir();
    let path = EXTENSIONS
        .iter()
        .map(|extension| dir.join(format!("{name}.{extension}")))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("no fixture {name}.json or {name}.csv under {}", dir.display()));
    let text: &'static str = read_text(&path).leak();
    read.insert(name.to_owned(), text);
    text
}

/// Every fixture of one API folder (`admin`, `analytics`, `aicode`, `agents`, `bugbot`), as `(name, text)` pairs sorted by name, where the name is the one
/// [`fixture`] takes (`"admin/audit_logs"`).
///
/// # Panics
///
/// If the folder is missing or empty, or a file cannot be read.
#[track_caller]
pub fn fixtures_of(api: &str) -> Vec<(String, &'static str)> {
    let dir = fixtures_dir().join(api);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| EXTENSIONS.iter().any(|known| ext == *known)))
        .filter_map(|path| path.file_stem().and_then(|stem| stem.to_str()).map(|stem| format!("{api}/{stem}")))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures under {}", dir.display());
    names.into_iter().map(|name| (name.clone(), fixture(&name))).collect()
}

/// The JSON fixtures of one API folder: the texts of [`fixtures_of`] that are JSON documents
/// (not the CSV exports).
#[track_caller]
pub fn json_fixtures_of(api: &str) -> Vec<&'static str> {
    fixtures_of(api)
        .into_iter()
        .filter(|(name, _)| fixtures_dir().join(format!("{name}.json")).is_file())
        .map(|(_, text)| text)
        .collect()
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_the_workspaces_and_a_fixture_is_read_once_by_name() {
        let dir = fixtures_dir();
        assert!(dir.ends_with("tests/fixtures") && dir.join("admin").is_dir(), "{}", dir.display());
        let text = fixture("admin/audit_logs");
        assert!(text.contains("evt_abc123"));
        assert!(std::ptr::eq(text, fixture("admin/audit_logs")), "kept, not read again");
        assert!(fixture("aicode/commits_csv").starts_with("commit_hash,"), "a CSV by the same kind of name");
    }

    #[test]
    fn an_apis_fixtures_are_listed_by_name_in_order() {
        let admin = fixtures_of("admin");
        let names: Vec<&str> = admin.iter().map(|(name, _)| name.as_str()).collect();
        assert!(names.contains(&"admin/audit_logs") && names.is_sorted());
        assert!(admin.iter().all(|(name, text)| *text == fixture(name)));
        assert!(json_fixtures_of("aicode").iter().all(|text| text.trim_start().starts_with('{')));
    }

    #[test]
    #[should_panic(expected = "no fixture admin/no_such_endpoint")]
    fn a_missing_fixture_is_named() {
        fixture("admin/no_such_endpoint");
    }
}
