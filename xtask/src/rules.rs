//! The workspace's own rules, checked from `cargo metadata` and the source tree: API crates
//! depend on cursor-core and no other workspace crate, SDK crates stay free of the CLI's and
//! simulator's dependencies, every dependency has an allowed license, every Rust file opens
//! with a `//!` line, library code has no stubs, and the API crates follow their convention
//! (`conventions.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The five API crates: each depends on cursor-core and no other workspace crate.
const API_CRATES: [&str; 5] = ["cursor-admin", "cursor-analytics", "cursor-aicode", "cursor-agents", "cursor-bugbot"];

/// Dependencies the SDK crates must never pull in (they belong to the CLI, the simulator or tests).
const NOT_IN_SDK: [&str; 9] =
    ["axum", "clap", "indicatif", "httpmock", "tracing-subscriber", "anyhow", "sqlx", "rusqlite", "tokio-postgres"];

/// The license policy, read from `deny.toml` (its one home, shared with cargo-deny): the
/// `[licenses] allow` list, and `[[licenses.clarify]]` entries for packages that declare their
/// license only as a file.
struct LicensePolicy {
    allowed: Vec<String>,
    clarified: Vec<(String, String)>,
}

impl LicensePolicy {
    fn from_deny_toml(text: &str) -> Result<Self, String> {
        let mut allowed = Vec::new();
        let mut clarified = Vec::new();
        let mut section = String::new();
        let mut in_allow = false;
        let mut clarify_crate: Option<String> = None;
        let quoted = |line: &str| line.split('"').nth(1).map(str::to_owned);
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.starts_with('[') {
                section = line.trim_matches(|c| c == '[' || c == ']').to_owned();
                in_allow = false;
                continue;
            }
            if section == "licenses" && line.starts_with("allow") {
                in_allow = !line.contains(']');
                allowed.extend(line.split('"').skip(1).step_by(2).map(str::to_owned));
                continue;
            }
            if in_allow {
                if let Some(license) = quoted(line) {
                    allowed.push(license);
                }
                in_allow = !line.contains(']');
                continue;
            }
            if section == "licenses.clarify" {
                if line.starts_with("crate") {
                    clarify_crate = quoted(line);
                } else if line.starts_with("expression")
                    && let (Some(name), Some(expression)) = (clarify_crate.take(), quoted(line))
                {
                    clarified.push((name, expression));
                }
            }
        }
        if allowed.is_empty() {
            return Err("deny.toml has no [licenses] allow list".into());
        }
        Ok(Self { allowed, clarified })
    }

    fn load() -> Result<Self, String> {
        let path = workspace_root().join("deny.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::from_deny_toml(&text)
    }

    fn allows(&self, expression: &str) -> bool {
        // Split on OR: any allowed alternative will do; within an AND every part must be allowed.
        let normalized = expression.replace('/', " OR ");
        let trim = |part: &str| part.trim().trim_matches(|c| c == '(' || c == ')').trim().to_owned();
        normalized.split(" OR ").any(|alternative| {
            trim(alternative).split(" AND ").all(|part| self.allowed.iter().any(|allowed| *allowed == trim(part)))
        })
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

pub fn check() -> Result<(), String> {
    let metadata = metadata()?;
    let mut problems = Vec::new();
    problems.extend(dependency_direction(&metadata));
    problems.extend(licenses(&metadata, &LicensePolicy::load()?));
    problems.extend(source_files());
    problems.extend(crate::conventions::check(&workspace_root()));
    if problems.is_empty() {
        eprintln!("rules: dependency direction, licenses, //! headers, stubs and the API crates' convention all pass");
        Ok(())
    } else {
        for problem in &problems {
            eprintln!("  - {problem}");
        }
        Err(format!("{} rule violation(s)", problems.len()))
    }
}

fn metadata() -> Result<Value, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata output: {e}"))
}

fn packages(metadata: &Value) -> &[Value] {
    metadata["packages"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn workspace_names(metadata: &Value) -> BTreeSet<String> {
    let members: BTreeSet<&str> =
        metadata["workspace_members"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    packages(metadata)
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(id)))
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

/// Normal (non-dev, non-build) dependencies of a package, by name.
fn normal_dependencies(package: &Value) -> Vec<&str> {
    package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"].is_null())
        .filter_map(|d| d["name"].as_str())
        .collect()
}

fn dependency_direction(metadata: &Value) -> Vec<String> {
    let workspace = workspace_names(metadata);
    let mut problems = Vec::new();
    for name in API_CRATES {
        let Some(package) = packages(metadata).iter().find(|p| p["name"] == name) else {
            problems.push(format!("{name} is missing from the workspace"));
            continue;
        };
        let deps = normal_dependencies(package);
        if !deps.contains(&"cursor-core") {
            problems.push(format!("{name} must depend on cursor-core"));
        }
        for dep in deps.iter().filter(|d| workspace.contains(**d) && **d != "cursor-core") {
            problems
                .push(format!("{name} depends on workspace crate {dep}; API crates may depend only on cursor-core"));
        }
    }
    // The SDK's whole dependency tree (core and API crates) stays free of tool-only crates.
    let mut sdk: Vec<&str> = API_CRATES.to_vec();
    sdk.push("cursor-core");
    for name in sdk {
        for dep in resolved_tree(metadata, name) {
            if NOT_IN_SDK.contains(&dep.as_str()) {
                problems.push(format!("{name} pulls in {dep}, which belongs to the CLI, simulator or tests"));
            }
        }
    }
    problems
}

/// Names of every package reachable from `root` through normal dependencies.
fn resolved_tree(metadata: &Value, root: &str) -> BTreeSet<String> {
    let nodes = metadata["resolve"]["nodes"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let name_of = |id: &str| packages(metadata).iter().find(|p| p["id"] == id).and_then(|p| p["name"].as_str());
    let Some(root_id) = packages(metadata).iter().find(|p| p["name"] == root).and_then(|p| p["id"].as_str()) else {
        return BTreeSet::new();
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![root_id.to_owned()];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.iter().find(|n| n["id"] == id.as_str()) else { continue };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
            let Some(dep_id) = dep["pkg"].as_str() else { continue };
            if normal && seen.insert(dep_id.to_owned()) {
                stack.push(dep_id.to_owned());
            }
        }
    }
    seen.iter().filter_map(|id| name_of(id).map(str::to_owned)).collect()
}

fn licenses(metadata: &Value, policy: &LicensePolicy) -> Vec<String> {
    let workspace = workspace_names(metadata);
    packages(metadata)
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| !workspace.contains(n)))
        .filter_map(|p| {
            let name = p["name"].as_str().unwrap_or("?");
            let from_file = policy.clarified.iter().find(|(n, _)| n == name).map(|(_, license)| license.as_str());
            match p["license"].as_str().or(from_file) {
                Some(license) if policy.allows(license) => None,
                Some(license) => Some(format!("{name} {}: license `{license}` is not on the allowlist", p["version"])),
                None => Some(format!("{name} {}: no license declared", p["version"])),
            }
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && !name.to_string_lossy().starts_with('.') {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn source_files() -> Vec<String> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let shown = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        if !text.trim_start().starts_with("//!") {
            problems.push(format!("{shown}: must open with a `//!` line saying what lives there"));
        }
        let is_library = shown.contains("/src/") && !shown.starts_with("xtask");
        if is_library {
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains("todo!(") || code.contains("unimplemented!(") {
                    problems.push(format!("{shown}:{}: a stub in library code", number + 1));
                }
            }
        }
    }
    problems
}

/// The rules as tests too (in the manner of rust-analyzer's tidy), so `cargo test` alone
/// holds the workspace to them.
#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> LicensePolicy {
        LicensePolicy::load().expect("deny.toml")
    }

    #[test]
    fn license_expressions() {
        let policy = policy();
        assert!(policy.allows("MIT OR Apache-2.0"));
        assert!(policy.allows("MIT/Apache-2.0"));
        assert!(policy.allows("(MIT OR Apache-2.0) AND Unicode-3.0"));
        assert!(policy.allows("Apache-2.0 WITH LLVM-exception OR MIT"));
        assert!(!policy.allows("GPL-3.0"));
        assert!(!policy.allows("MIT AND GPL-3.0"));
    }

    #[test]
    fn the_allowlist_is_read_from_deny_toml() {
        let policy = LicensePolicy::from_deny_toml(
            "[licenses]\nallow = [\n  \"MIT\", # ok\n  \"ISC\",\n]\n[[licenses.clarify]]\ncrate = \"x\"\nexpression = \"MIT\"\n",
        )
        .unwrap();
        assert_eq!(policy.allowed, ["MIT", "ISC"]);
        assert_eq!(policy.clarified, [("x".to_owned(), "MIT".to_owned())]);
        assert!(LicensePolicy::from_deny_toml("[bans]\n").is_err());
    }

    #[test]
    fn api_crates_depend_only_on_core_and_the_sdk_stays_free_of_tool_crates() {
        let problems = dependency_direction(&metadata().expect("cargo metadata"));
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_dependency_has_an_allowed_license() {
        let problems = licenses(&metadata().expect("cargo metadata"), &policy());
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_rust_file_opens_with_a_doc_line_and_library_code_has_no_stubs() {
        let problems = source_files();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
